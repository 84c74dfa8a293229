import { READ_SINK } from './WriteInterceptor';

/** The original finder call, re-run with `cache: false` (and, on a miss, a read sink). */
export class DatabaseRead {
  constructor(
    private readonly model: any,
    private readonly original: (...a: any[]) => Promise<any>,
    private readonly args: readonly any[],
    private readonly optionsIndex: number,
  ) {}

  run(sink?: Set<string>): Promise<any> {
    const a = this.args.slice();
    const o = { ...a[this.optionsIndex], cache: false };
    if (sink !== undefined) o[READ_SINK] = sink;
    a[this.optionsIndex] = o;
    return this.original.apply(this.model, a);
  }
}
