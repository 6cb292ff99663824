/**
 * Test data: generated rows in the Austin Animal Center intakes format (the `austin-intakes`
 * profile), every one a distinct cat, so a load of n rows gives n intakes.
 */
export const AUSTIN_HEADER =
  "Animal ID,Name,DateTime,MonthYear,Found Location,Intake Type,Intake Condition,Animal Type,Sex upon Intake,Age upon Intake,Breed,Color";

export const austinRows = (n: number) =>
  Array.from(
    { length: n },
    (_, i) =>
      `A${i},N,0${1 + (i % 9)}/1${i % 10}/2019 10:00:00 AM,x,Somewhere in Austin (TX),Stray,Normal,Cat,Intact Female,${1 + (i % 5)} years,Domestic Shorthair,Black`,
  );

/** A whole CSV file of `n` rows. */
export const austinCsv = (n: number) => `${AUSTIN_HEADER}\n${austinRows(n).join("\n")}\n`;
