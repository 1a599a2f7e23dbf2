/* axe-core in browser tests: fails with the list of violations inside an element (shadow DOM too). */
import { expect } from 'chai';
import { axe } from './axe.bundle.js';

export async function expectAxeClean(element: Element): Promise<void> {
  const results = await axe.run(element, { resultTypes: ['violations'] });
  const violations = results.violations.map(
    (violation) =>
      `${violation.id}: ${violation.help} (${violation.nodes.map((node) => node.target.join(' ')).join(', ')})`,
  );
  expect(violations, 'axe violations').to.deep.equal([]);
}
