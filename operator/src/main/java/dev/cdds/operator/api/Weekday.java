package dev.cdds.operator.api;

/** Day of the week of a Weekly schedule, spelled as users write it. */
public enum Weekday {
  Monday,
  Tuesday,
  Wednesday,
  Thursday,
  Friday,
  Saturday,
  Sunday
}
