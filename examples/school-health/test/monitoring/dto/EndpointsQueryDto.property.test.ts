import { expect } from 'chai';
import fc from 'fast-check';
import { startHarness, type Harness } from '../harness';

describe('EndpointsQueryDto (properties, over HTTP)', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ withDatabase: false });
  });
  after(async () => {
    await h?.close();
  });

  it('answers 200 or 400 (never 5xx) to any endpoint/method/hours value, and never echoes it', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('endpoints?endpoint=', 'endpoints?method=', 'trends?hours=', 'memory?hours=', 'pool?hours='),
        fc.string({ maxLength: 300 }),
        async (prefix, value) => {
          const res = await h.get(`/monitoring/${prefix}${encodeURIComponent(value)}`);
          expect([200, 400]).to.include(res.status);
          if (res.status === 400 && value.length >= 8) expect(JSON.stringify(res.body)).not.to.contain(value);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('accepts every route template made of path segments and :params', async () => {
    const segment = fc.stringMatching(/^:?[a-z][a-zA-Z0-9_-]{0,15}$/);
    await fc.assert(
      fc.asyncProperty(fc.array(segment, { minLength: 0, maxLength: 6 }), async (parts) => {
        const res = await h.get(`/monitoring/endpoints?endpoint=${encodeURIComponent(`/${parts.join('/')}`)}`);
        expect(res.status).to.equal(200);
      }),
      { numRuns: 60 },
    );
  });
});
