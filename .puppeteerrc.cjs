// Puppeteer drives the system's Firefox ESR (see scripts/provision.mjs); it must never
// download a browser of its own, which fails on closed networks and wastes CI time.
module.exports = { skipDownload: true };
