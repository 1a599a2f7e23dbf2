/*
 * Linking the phone in the end-to-end tests as a user does it: the website's linking page shows
 * its QR, the phone opens it (a deep link, as from the phone's camera app), asks "Link this phone
 * to …?", and after Link shows the code to compare; the user finds the same code on the linking
 * page and confirms there. Only then does the phone answer logins.
 */
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import type { AppHarness } from './app-harness.js';

/** The code as the phone shows it ("482 193"), as the website sends it ("482193"). */
export async function shownCode(page: Page, tag: string): Promise<string> {
  const text = await page
    .locator(tag)
    .evaluate((element) => element.shadowRoot?.querySelector('.code')?.textContent ?? '');
  return text.replace(/\s+/g, '');
}

/**
 * Links the app in `page` to `userId` through the linking page, up to the phone's compare-code
 * screen; returns the link's id on the page and the code the phone shows. `beforeLink` runs on
 * the question "Link this phone to …?" (checks, axe).
 */
export async function linkUpToTheCode(
  page: Page,
  harness: AppHarness,
  userId: string,
  beforeLink: () => Promise<void> = () => Promise.resolve(),
): Promise<{ id: string; compareCode: string }> {
  const link = await harness.linkingPage.start(userId);
  await page.goto(link.qr);
  await page.locator('scanner-app[screen="link-question"]').waitFor({ timeout: 15_000 });
  await beforeLink();
  await page.getByRole('button', { name: 'Link', exact: true }).click();
  await page.locator('scanner-app[screen="compare-code"]').waitFor({ timeout: 15_000 });
  return { id: link.id, compareCode: await shownCode(page, 'app-compare-code') };
}

/**
 * The user compares the codes and says on the linking page that they match: the kit confirms
 * the link at the Token Server, and the page's link is accepted.
 */
export async function confirmOnTheLinkingPage(
  harness: AppHarness,
  id: string,
  compareCode: string,
): Promise<void> {
  const asked = await harness.linkingPage.status(id, 5);
  assert.equal(asked.status, 'confirm', 'the page asks whether the codes match');
  assert.equal(asked.confirm, 'compare_code');
  assert.equal(asked.compare_code, compareCode, 'the page shows the code the phone shows');
  const confirmed = await harness.linkingPage.confirm(id, true);
  assert.equal(confirmed.status, 'accepted');
}

/** Links the app in `page` to `userId`, confirmed, and leaves it on its home screen. */
export async function linkPhone(page: Page, harness: AppHarness, userId: string): Promise<void> {
  const { id, compareCode } = await linkUpToTheCode(page, harness, userId);
  await confirmOnTheLinkingPage(harness, id, compareCode);
  await page.getByRole('button', { name: 'Done' }).click();
  await page.locator('scanner-app[screen="home"]').waitFor({ timeout: 15_000 });
}
