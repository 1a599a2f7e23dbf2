// axe-core is a UMD script: web-test-runner.config.mjs serves this file as an ES module bundle.
import axe from 'axe-core';

export { axe };
