/**
 * Attack type codes: the contract's `attack_type` / `attack_type_name`, in one table.
 *
 * | code | name             | what it means                                                   |
 * |-----:|------------------|-----------------------------------------------------------------|
 * |    0 | `real`           | a live person (bona fide presentation)                          |
 * |    1 | `print`          | a printed photo, flat or bent, held or moved                    |
 * |    2 | `replay`         | a photo or video shown on a screen (phone, tablet, monitor)     |
 * |    3 | `paper_mask`     | a 2-D mask or a face cut out of a print, worn or held           |
 * |    4 | `mask_3d`        | a 3-D mask (silicone, resin, latex)                             |
 * |    5 | `injection`      | a suspected synthetic or injected stream                        |
 * |    6 | `unknown_attack` | an attack whose instrument could not be told, or inconclusive   |
 */
export const ATTACK_TYPES = [
  { code: 0, name: 'real' },
  { code: 1, name: 'print' },
  { code: 2, name: 'replay' },
  { code: 3, name: 'paper_mask' },
  { code: 4, name: 'mask_3d' },
  { code: 5, name: 'injection' },
  { code: 6, name: 'unknown_attack' },
] as const;

export type AttackTypeName = (typeof ATTACK_TYPES)[number]['name'];
export type AttackTypeCode = (typeof ATTACK_TYPES)[number]['code'];

export function attackTypeCode(name: AttackTypeName): AttackTypeCode {
  const entry = ATTACK_TYPES.find((t) => t.name === name);
  if (!entry) throw new Error(`unknown attack type ${name}`);
  return entry.code;
}
