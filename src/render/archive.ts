/**
 * RFC 5005 §4 archived feeds. Pages are numbered from the oldest arrival, so a page that is full
 * never changes when articles arrive: page N holds arrivals (N-1)*size+1 … N*size. The store
 * numbers arrivals as it stores (Store in src/store/store.ts), and those numbers never change.
 * The newest page is the only one that is not full; it may be empty.
 */
export const ARCHIVE_PAGE_SIZE = 50;

/** How many pages `count` articles make: every full page, plus the open newest one. */
export function pageCount(count: number, size = ARCHIVE_PAGE_SIZE): number {
  return Math.floor(count / size) + 1;
}

/** A page is complete (and immutable) once it holds `size` articles. */
export function isCompletePage(page: number, count: number, size = ARCHIVE_PAGE_SIZE): boolean {
  return page * size <= count;
}

/** The newest page that has anything on it: where a subscription document's history starts. */
export function newestPage(count: number, size = ARCHIVE_PAGE_SIZE): number {
  return Math.max(1, Math.ceil(count / size));
}
