// Debian's Chromium for the end-to-end tests: the same launcher the console bench uses.
export { CHROMIUM, hasChromium, launchChromium } from '../../src/lab/browser/chromium';
