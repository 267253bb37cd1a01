/**
 * The CLI's exit codes, for CI gates (listed in the README and in `dbhealth --help`). A run that
 * could not read or analyse some of what it was given never exits 0: a gate must not pass on
 * files nobody looked at.
 */
/** Everything given was analysed and nothing was found (lint); no error alert (health). */
export const EXIT_CLEAN = 0;
/** Findings (lint, at any severity), or an error alert (health). */
export const EXIT_FOUND = 1;
/** A usage error (unknown option, bad value) or an internal error. */
export const EXIT_USAGE = 2;
/** Some file or path was not analysed (unreadable, too large, too deep, binary, unparsable); it takes precedence over 1. */
export const EXIT_NOT_ANALYSED = 3;

export const EXIT_CODES_HELP = `Exit codes:
  0  everything was analysed and nothing was found (health: no error alert)
  1  findings (health: an error alert)
  2  usage or internal error
  3  some file or path could not be analysed (lint; listed in every format), whatever else was found`;
