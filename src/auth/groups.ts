/** The groups of `cat-data-users`, most powerful first. Staff are bound to one municipality. */
export const GROUPS = ["admin", "analyst", "staff", "viewer"] as const;
export type Group = (typeof GROUPS)[number];

/** A municipality code as the data uses it: 6 digits in Japan, a slug such as `us-tx-austin` elsewhere. */
export const MUNICIPALITY_CODE = /^[a-z0-9-]{2,32}$/;
