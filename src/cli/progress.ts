/** A one-line progress bar with ETA on stderr, drawn only when stderr is a terminal. */
export function createProgress(total: number, stream: NodeJS.WriteStream = process.stderr): { tick(): void; done(): void } {
  const enabled = Boolean(stream.isTTY) && total > 1;
  const startedAt = Date.now();
  let completed = 0;
  const draw = () => {
    const width = 30;
    const filled = Math.round((completed / total) * width);
    const elapsedS = (Date.now() - startedAt) / 1000;
    const etaS = completed > 0 ? Math.round((elapsedS / completed) * (total - completed)) : 0;
    const eta = `${Math.floor(etaS / 60)}:${String(etaS % 60).padStart(2, '0')}`;
    stream.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${completed}/${total} ETA ${eta} `);
  };
  return {
    tick() {
      completed++;
      if (enabled) draw();
    },
    done() {
      if (enabled) stream.write('\n');
    },
  };
}
