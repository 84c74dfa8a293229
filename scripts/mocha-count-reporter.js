'use strict';
// Mocha reporter: the spec reporter's output, plus the pass/fail counts written to
// the file named by QUERYLENS_TEST_COUNTS so scripts/test.js can sum them over packages.
const fs = require('node:fs');
const Mocha = require('mocha');

class CountReporter extends Mocha.reporters.Spec {
  constructor(runner, options) {
    super(runner, options);
    let passed = 0;
    let failed = 0;
    let pending = 0;
    runner.on(Mocha.Runner.constants.EVENT_TEST_PASS, () => passed++);
    runner.on(Mocha.Runner.constants.EVENT_TEST_FAIL, () => failed++);
    runner.on(Mocha.Runner.constants.EVENT_TEST_PENDING, () => pending++);
    runner.once(Mocha.Runner.constants.EVENT_RUN_END, () => {
      const file = process.env.QUERYLENS_TEST_COUNTS;
      if (file) fs.writeFileSync(file, JSON.stringify({ passed, failed, pending }));
    });
  }
}
module.exports = CountReporter;
