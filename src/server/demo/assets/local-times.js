// Writes every <time datetime> of a demo page in the reader's own language, region and time
// zone, the way the scanner app writes a moment (src/app/date-text.ts): a medium date and a
// short time, "6 Dec 2026, 14:03" in en-GB, "Dec 6, 2026, 2:03 PM" in en-US. The server cannot
// know the reader's time zone; without this script the page keeps its UTC text.
const format = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
for (const time of document.querySelectorAll('time[datetime]')) {
  const moment = new Date(time.dateTime);
  if (!Number.isNaN(moment.getTime())) time.textContent = format.format(moment);
}
