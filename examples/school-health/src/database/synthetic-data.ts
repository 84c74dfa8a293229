/**
 * Deterministic generator of synthetic (made-up) people and records for the seed.
 * Names are random pairs from small lists; SSNs use the 900-999 area, which is never issued,
 * so no seeded row can be real PHI.
 */

/** mulberry32: a small, fast, seedable PRNG (reproducible seeds across runs). */
export function createRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FIRST_NAMES = [
  'Avery', 'Blake', 'Casey', 'Dakota', 'Emerson', 'Finley', 'Gray', 'Harper', 'Indigo', 'Jules',
  'Kai', 'Lennon', 'Morgan', 'Noel', 'Oakley', 'Parker', 'Quinn', 'Reese', 'Sage', 'Tatum',
  'Umber', 'Vale', 'Wren', 'Xen', 'Yael', 'Zephyr', 'Arlo', 'Bellamy', 'Cove', 'Dune',
];
const LAST_NAMES = [
  'Ashgrove', 'Brightwater', 'Cindervale', 'Dunmore', 'Elmstead', 'Fernhollow', 'Glimmerby', 'Hollowell',
  'Ironwood', 'Juniperly', 'Kestrelton', 'Larkspur', 'Mossbrook', 'Nettlefield', 'Oakhaven', 'Pinecrest',
  'Quillfeather', 'Ravensmoor', 'Stonebridge', 'Thistledown', 'Underhill', 'Violetmere', 'Willowby', 'Yarrowfield',
];

export class SyntheticData {
  private readonly random: () => number;

  constructor(seed = 42) {
    this.random = createRandom(seed);
  }

  /** Integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.random() * (max - min + 1));
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.random() * items.length)];
  }

  chance(probability: number): boolean {
    return this.random() < probability;
  }

  firstName(): string {
    return this.pick(FIRST_NAMES);
  }

  lastName(): string {
    return this.pick(LAST_NAMES);
  }

  /** A never-issued SSN (area 900-999) made unique by the caller's sequence number. */
  ssn(sequence: number): string {
    const area = 900 + (sequence % 100);
    const group = 1 + (Math.floor(sequence / 100) % 99);
    const serial = 1 + (Math.floor(sequence / 9900) % 9999);
    return `${area}-${String(group).padStart(2, '0')}-${String(serial).padStart(4, '0')}`;
  }

  /** `555-01xx` numbers are reserved for fiction. */
  phone(): string {
    return `555-01${String(this.int(0, 99)).padStart(2, '0')}`;
  }

  /** ISO date (YYYY-MM-DD) `daysAgo` days before `from`. */
  isoDate(from: Date, daysAgo: number): string {
    return new Date(from.getTime() - daysAgo * 86_400_000).toISOString().slice(0, 10);
  }
}
