/** What running one fuzz case gave: fine (with any rows lost), or a crash with its error. */
export type Outcome = { readonly ok: true; readonly lost?: number; readonly leaked?: boolean } | { readonly ok: false; readonly crash: string };
