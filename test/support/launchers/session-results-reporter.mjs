// Writes how each test file ended in each browser to the JSON file named by WTR_RESULTS_FILE, for
// scripts/test-browser.mjs to tell a browser that crashed from a test that failed. Does nothing
// when the variable is not set.
import { writeFileSync } from 'node:fs';

/**
 * @typedef {{ name: string, passed?: boolean, error?: unknown }} TestResult
 * @typedef {{ tests: TestResult[], suites: TestSuite[] }} TestSuite
 */

/** @param {TestSuite | undefined} suite @returns {number} */
function failedTests(suite) {
  if (suite === undefined) return 0;
  const here = suite.tests.filter((test) => test.passed === false).length;
  return here + suite.suites.reduce((count, child) => count + failedTests(child), 0);
}

/** @returns {import('@web/test-runner').Reporter} */
export function sessionResultsReporter() {
  const file = process.env.WTR_RESULTS_FILE;
  return {
    onTestRunFinished({ sessions }) {
      if (!file) return;
      const results = sessions.map((session) => ({
        browser: session.browser.name,
        testFile: session.testFile,
        passed: session.passed === true,
        failedTests: failedTests(session.testResults),
        errors: (session.errors ?? []).map((error) => String(error?.message ?? error)),
      }));
      writeFileSync(file, JSON.stringify(results, null, 2));
    },
  };
}
