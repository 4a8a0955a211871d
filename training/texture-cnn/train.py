#!/usr/bin/python3
"""Texture CNN for face liveness: live vs attack from one eye-aligned face crop.

Reads crops written by `scripts/export-face-crops.ts` (crops.bin + meta.jsonl per folder), trains a
small CNN on CPU with augmentations that hide camera and compression, and cross-validates it grouped
by subject (a person's crops, videos, stills and the synthetic attacks made from their clips are held
out together). Scores are per item (mean live logit over its usable crops and their mirror images).
Results and verdict: RESULTS.md (it does not generalise; nothing from here is in the product).

Protocols:
  subject  grouped k-fold over subjects (--folds)
  dataset  leave one dataset out (bench crops, NUAA, bench videos, synth attacks), also dropping from
           training every item of the held-out dataset's subjects: the closest this data gets to an
           unseen camera and attack instrument
  final    train on everything and export ONNX (--onnx)
  baselines  no learning: the same table for trivial per-item scores (face size, sharpness, crop
           statistics), to see what the CNN could be keying on instead of liveness

  /usr/bin/python3 training/texture-cnn/train.py --data .cache/texture/bench,.cache/texture/synth-crops \
      --protocol subject --folds 8 --seed 1 --out .cache/texture/cv-subject.jsonl
"""
import argparse
import json
import os
import sys
import time
from collections import defaultdict

import cv2
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import GroupKFold

SIZE = 64


def load(folders, file='crops.bin'):
    metas, crops = [], []
    for folder in folders:
        meta = [json.loads(line) for line in open(os.path.join(folder, 'meta.jsonl'))]
        data = np.fromfile(os.path.join(folder, file), dtype=np.uint8)
        n = min(len(meta), data.size // (SIZE * SIZE * 3))
        crops.append(data[: n * SIZE * SIZE * 3].reshape(n, SIZE, SIZE, 3))
        metas.extend(meta[:n])
    return np.concatenate(crops), metas


def dataset_of(m):
    if m['origin'] == 'synth':
        return 'synth'
    if m['kind'] == 'crop':
        return 'bench_crops'
    if m['kind'] in ('image', 'frames'):
        return 'nuaa'
    return 'bench_videos'


class TextureNet(nn.Module):
    """Four conv blocks (3×3 conv, batch norm, ReLU, 2×2 max-pool), global average pooling, one logit."""

    def __init__(self, widths=(8, 16, 32, 64)):
        super().__init__()
        layers, c = [], 3
        for w in widths:
            layers += [nn.Conv2d(c, w, 3, padding=1, bias=False), nn.BatchNorm2d(w), nn.ReLU(inplace=True), nn.MaxPool2d(2)]
            c = w
        self.features = nn.Sequential(*layers)
        self.dropout = nn.Dropout(0.3)
        self.head = nn.Linear(c, 1)

    def forward(self, x):  # x: N×3×64×64 RGB in 0–1
        x = self.features((x - 0.5) / 0.25)
        x = x.mean(dim=(2, 3))
        return self.head(self.dropout(x)).squeeze(1)


def augment(img, rng):
    """Camera, compression and light variation that should not tell live from attack."""
    img = img.copy()
    if rng.random() < 0.5:
        img = img[:, ::-1].copy()
    # Small scale, shift and roll (the aligner's jitter).
    s = rng.uniform(0.9, 1.12)
    a = rng.uniform(-8, 8)
    M = cv2.getRotationMatrix2D((SIZE / 2, SIZE / 2), a, s)
    M[:, 2] += rng.uniform(-3, 3, size=2)
    img = cv2.warpAffine(img, M, (SIZE, SIZE), borderMode=cv2.BORDER_REFLECT)
    # Resolution: a smaller face, upsampled.
    if rng.random() < 0.3:
        r = int(rng.integers(24, 56))
        img = cv2.resize(cv2.resize(img, (r, r), interpolation=cv2.INTER_AREA), (SIZE, SIZE), interpolation=cv2.INTER_LINEAR)
    if rng.random() < 0.3:
        img = cv2.GaussianBlur(img, (0, 0), rng.uniform(0.3, 1.3))
    f = img.astype(np.float32)
    # Brightness, contrast, saturation, colour balance.
    f = (f - 128) * rng.uniform(0.7, 1.3) + 128 + rng.uniform(-30, 30)
    grey = f.mean(axis=2, keepdims=True)
    f = grey + (f - grey) * rng.uniform(0.6, 1.4)
    f *= rng.uniform(0.88, 1.12, size=3)
    if rng.random() < 0.5:
        f += rng.normal(0, rng.uniform(1, 6), size=f.shape)
    img = np.clip(f, 0, 255).astype(np.uint8)
    if rng.random() < 0.7:
        ok, buf = cv2.imencode('.jpg', img, [cv2.IMWRITE_JPEG_QUALITY, int(rng.integers(40, 96))])
        img = cv2.imdecode(buf, cv2.IMREAD_UNCHANGED)
    return img


def to_tensor(batch):
    return torch.from_numpy(np.ascontiguousarray(np.stack(batch))).permute(0, 3, 1, 2).float() / 255.0


def sample_weights(metas, idx):
    """Each item weighs the same whatever its crop count; live and attack weigh the same in total."""
    per_item = defaultdict(int)
    for i in idx:
        per_item[metas[i]['id']] += 1
    w = np.array([1.0 / per_item[metas[i]['id']] for i in idx])
    y = np.array([metas[i]['label'] == 'live' for i in idx])
    for cls in (True, False):
        if (y == cls).any():
            w[y == cls] /= w[y == cls].sum()
    return w / w.sum()


def train(X, metas, idx, args, seed):
    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    model = TextureNet()
    opt = torch.optim.AdamW(model.parameters(), lr=3e-3, weight_decay=1e-3)
    steps = args.epochs * args.steps
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=3e-3, total_steps=steps)
    w = sample_weights(metas, idx)
    y_all = np.array([1.0 if m['label'] == 'live' else 0.0 for m in metas], dtype=np.float32)
    model.train()
    for step in range(steps):
        pick = rng.choice(idx, size=args.batch, p=w)
        xb = to_tensor([augment(X[i], rng) for i in pick])
        yb = torch.from_numpy(y_all[pick])
        loss = F.binary_cross_entropy_with_logits(model(xb), yb)
        opt.zero_grad()
        loss.backward()
        opt.step()
        sched.step()
    model.eval()
    return model


@torch.no_grad()
def predict(model, X, idx):
    out = []
    for k in range(0, len(idx), 256):
        xb = to_tensor([X[i] for i in idx[k : k + 256]])
        # Test-time: the crop and its mirror image.
        logit = (model(xb) + model(torch.flip(xb, dims=[3]))) / 2
        out.append(logit.numpy())
    return np.concatenate(out) if out else np.zeros(0)


def item_scores(metas, idx, logits):
    by_item = defaultdict(list)
    for i, z in zip(idx, logits):
        by_item[metas[i]['id']].append(float(z))
    rows = []
    for item, zs in by_item.items():
        m = next(metas[i] for i in idx if metas[i]['id'] == item)
        rows.append({k: m[k] for k in ('id', 'label', 'species', 'subject', 'kind', 'origin')} | {'dataset': dataset_of(m), 'logit': float(np.mean(zs)), 'crops': len(zs)})
    return rows


def main():
    p = argparse.ArgumentParser()
    p.add_argument('--data', required=True, help='comma-separated folders holding crops.bin + meta.jsonl')
    p.add_argument('--input', choices=['crops.bin', 'patches.bin'], default='crops.bin',
                   help='crops.bin: the whole face shrunk to 64 px; patches.bin: its centre at the camera scale')
    p.add_argument('--protocol', choices=['subject', 'dataset', 'final', 'baselines'], default='subject')
    p.add_argument('--model', choices=['cnn', 'trivial'], default='cnn',
                   help='trivial: logistic regression on face size, sharpness, crop Laplacian variance and saturation, '
                        'under the same splits: what the CNN must beat')
    p.add_argument('--folds', type=int, default=8)
    p.add_argument('--epochs', type=int, default=6)
    p.add_argument('--steps', type=int, default=80, help='batches per epoch')
    p.add_argument('--batch', type=int, default=64)
    p.add_argument('--seed', type=int, default=1)
    p.add_argument('--threads', type=int, default=1, help='1 is fastest on a shared 2-core machine (OpenMP spin-waits when oversubscribed)')
    p.add_argument('--out', help='per-item held-out scores (JSON lines)')
    p.add_argument('--onnx', help='final protocol: where to write the ONNX model')
    args = p.parse_args()
    torch.set_num_threads(args.threads)
    X, metas = load(args.data.split(','), args.input)
    usable = np.array([i for i, m in enumerate(metas) if m['usable']])
    print(f'{len(metas)} crops, {len(usable)} usable, {len({metas[i]["id"] for i in usable})} items, '
          f'{len({metas[i]["subject"] for i in usable})} subjects', file=sys.stderr)
    started = time.time()

    if args.protocol == 'baselines':
        baselines(X, metas, usable)
        return

    if args.protocol == 'final':
        model = train(X, metas, usable, args, args.seed)
        export(model, args.onnx)
        print(f'trained on {len(usable)} crops in {time.time() - started:.0f} s; wrote {args.onnx}', file=sys.stderr)
        return

    rows = []
    if args.protocol == 'subject':
        groups = np.array([metas[i]['subject'] for i in usable])
        splits = [(usable[a], usable[b], f'fold{k}') for k, (a, b) in enumerate(GroupKFold(args.folds).split(usable, groups=groups))]
    else:
        splits = []
        for d in ('bench_crops', 'nuaa', 'bench_videos', 'synth'):
            test = np.array([i for i in usable if dataset_of(metas[i]) == d])
            subjects = {metas[i]['subject'] for i in test}
            tr = np.array([i for i in usable if dataset_of(metas[i]) != d and metas[i]['subject'] not in subjects])
            if len(test) and len(tr):
                splits.append((tr, test, f'without_{d}'))
    feats = trivial_features(X, metas) if args.model == 'trivial' else None
    for k, (tr, te, name) in enumerate(splits):
        if feats is not None:
            logits = fit_trivial(feats, metas, tr).decision_function(feats[te])
        else:
            logits = predict(train(X, metas, tr, args, args.seed + k), X, te)
        for r in item_scores(metas, te, logits):
            rows.append(r | {'fold': name})
        print(f'{name}: train {len(tr)} crops, test {len(te)} crops, {time.time() - started:.0f} s', file=sys.stderr)
    if args.out:
        with open(args.out, 'w') as f:
            for r in rows:
                f.write(json.dumps(r) + '\n')
    report(rows)


def auc(rows, attack_filter, live_filter=None):
    live = [r['logit'] for r in rows if r['label'] == 'live' and (live_filter or attack_filter)(r)]
    att = [r['logit'] for r in rows if r['label'] != 'live' and attack_filter(r)]
    if not live or not att:
        return None, len(live), len(att)
    return roc_auc_score([1] * len(live) + [0] * len(att), live + att), len(live), len(att)


def report(rows, key='logit'):
    for r in rows:
        r['logit'] = r[key]
    lines = []

    def add(name, attack_filter, live_filter=None):
        a, nl, na = auc(rows, attack_filter, live_filter)
        lines.append(f'| {name} | {"–" if a is None else f"{a:.3f}"} | {nl} | {na} |')

    add('all items', lambda r: True)
    crops = lambda r: r['dataset'] == 'bench_crops'
    add('bench crops, all attacks', crops)
    for s in ('phone_replay', 'monitor_replay', 'screen_replay', 'print_photo'):
        add(f'bench crops, {s}', lambda r, s=s: crops(r) and r['species'] == s, crops)
    both = {'s02', 's03', 's04', 's05', 's31'}
    add('bench crops, subjects with both labels (s02–s05, s31)', lambda r: crops(r) and r['subject'] in both)
    add('NUAA stills (s31–s35), print', lambda r: r['dataset'] == 'nuaa' and r['kind'] == 'image')
    add('NUAA sequences (s31–s35), print', lambda r: r['dataset'] == 'nuaa' and r['kind'] == 'frames')
    vids = lambda r: r['dataset'] == 'bench_videos'
    add('bench videos, replay vs live', vids)
    add('bench videos, subjects with both (s01–s03)', lambda r: vids(r) and r['subject'] in {'s01', 's02', 's03'})
    syn_live = lambda r: r['dataset'] == 'bench_videos' and r['label'] == 'live'
    for s in ('print_photo', 'phone_replay', 'tablet_replay', 'monitor_replay', 'phone_video_replay', 'tablet_video_replay',
              'monitor_video_replay', 'paper_mask'):
        add(f'synth {s} vs bench live videos', lambda r, s=s: r['dataset'] == 'synth' and r['species'] == s, syn_live)
    print('| held-out items | AUC | live | attack |\n|---|---:|---:|---:|')
    print('\n'.join(lines))


def trivial_features(X, metas):
    grey = [cv2.cvtColor(x, cv2.COLOR_RGB2GRAY) for x in X]
    return np.array([[np.log(m['iodPx']), np.log1p(m['sharpness'] or 0), np.log1p(cv2.Laplacian(g, cv2.CV_32F).var()),
                      cv2.cvtColor(x, cv2.COLOR_RGB2HSV)[..., 1].mean() / 255, g.mean() / 255, g.std() / 255]
                     for m, x, g in zip(metas, X, grey)])


def fit_trivial(feats, metas, idx):
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler
    y = np.array([metas[i]['label'] == 'live' for i in idx])
    return make_pipeline(StandardScaler(), LogisticRegression(C=1.0, max_iter=1000)).fit(feats[idx], y, logisticregression__sample_weight=sample_weights(metas, idx) * len(idx))


def baselines(X, metas, idx):
    lap = np.array([cv2.Laplacian(cv2.cvtColor(X[i], cv2.COLOR_RGB2GRAY), cv2.CV_32F).var() for i in idx])
    sat = np.array([cv2.cvtColor(X[i], cv2.COLOR_RGB2HSV)[..., 1].mean() for i in idx])
    feats = {
        'interocular px (face size)': [metas[i]['iodPx'] for i in idx],
        'quality sharpness': [metas[i]['sharpness'] or 0 for i in idx],
        'frame width px': [metas[i]['frameWidth'] for i in idx],
        'crop Laplacian variance': lap,
        'crop mean saturation': sat,
    }
    for name, values in feats.items():
        rows = item_scores(metas, idx, np.asarray(values, dtype=np.float64))
        print(f'\n{name} (raw value as the live score; < 0.5 means lower is more live)')
        report(rows)


def export(model, path):
    model.eval()
    dummy = torch.zeros(1, 3, SIZE, SIZE)

    class NhwcInput(nn.Module):
        """NHWC uint8-range input (what the aligner gives), live logit out: the runtime does no maths."""

        def __init__(self, net):
            super().__init__()
            self.net = net

        def forward(self, x):  # N×64×64×3, RGB 0–255
            return self.net(x.permute(0, 3, 1, 2) / 255.0)

    wrapped = NhwcInput(model).eval()
    torch.onnx.export(wrapped, dummy.permute(0, 2, 3, 1) * 255, path, opset_version=13, input_names=['crops'], output_names=['live_logit'],
                      dynamic_axes={'crops': {0: 'n'}, 'live_logit': {0: 'n'}})


if __name__ == '__main__':
    main()
