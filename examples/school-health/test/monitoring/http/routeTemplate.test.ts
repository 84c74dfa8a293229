import { expect } from 'chai';
import { routeTemplate, UNMATCHED_ROUTE } from '../../../src/monitoring/http/routeTemplate';

describe('routeTemplate', () => {
  const cases: [string, Parameters<typeof routeTemplate>[0], string][] = [
    ['a matched route', { route: { path: '/students/:id' } }, '/students/:id'],
    ['a mounted router', { baseUrl: '/api', route: { path: '/students/:id' } }, '/api/students/:id'],
    ['no route', {}, UNMATCHED_ROUTE],
    ['a regexp route', { route: { path: /x/ } }, UNMATCHED_ROUTE],
  ];
  for (const [name, req, expected] of cases) {
    it(`returns ${expected} for ${name}`, () => {
      expect(routeTemplate(req)).to.equal(expected);
    });
  }

  it('bounds the length', () => {
    expect(routeTemplate({ route: { path: '/' + 'a'.repeat(500) } }).length).to.be.at.most(201);
  });
});
