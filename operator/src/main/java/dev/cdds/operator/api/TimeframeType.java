package dev.cdds.operator.api;

/** Which period of data a run exports: the Export Timeframe setting of the Jobs page. */
public enum TimeframeType {
  All,
  FixedInterval,
  LastHours,
  LastDay,
  LastWeek,
  LastMonth,
  SinceLastRun
}
