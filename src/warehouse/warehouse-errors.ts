import { CatdataError } from "../errors.js";

/** The warehouse's user-facing errors (typed CatdataErrors with a hint). */
export const warehouseNotBuilt = () =>
  new CatdataError("UNAVAILABLE", "the warehouse has no marts yet", {
    hint: "load data (catdata ingest …) or run `catdata marts rebuild`",
  });
