/*
 * summary_delta.h - subtraction of summaries: the summary of the answers
 * (forms) of a that are not in b, for rollups kept by deltas
 * (extension/1.2/80_rollup.sql, doc/rollups.md).  Plain C, no PostgreSQL
 * headers.
 *
 * Counts subtract exactly.  Weight sums do not: a stored summary keeps each
 * sum rounded to a double, so a - b need not be the rounded sum of the rows
 * left, whatever precision the subtraction itself uses.  The functions say
 * so (return false) instead of guessing, and the caller recomputes the key
 * from its rows.  Exact means: the result is what summarising the rows of a
 * that are not in b gives, byte for byte.
 */
#ifndef SIPAS_SUMMARY_DELTA_H
#define SIPAS_SUMMARY_DELTA_H

#include "survey.h"

/*
 * out = a - b for one item.  False (out undefined) when b is not a part of
 * a that can be removed exactly: another scale, more answers at a level than
 * a has, or weight sums to subtract at a level that keeps answers.  A level
 * whose answers all leave has zero weight sums, exactly.
 */
extern bool sd_lk_subtract(const lk_summary *a, const lk_summary *b, lk_summary *out);

/*
 * out = a - b.  out->items must hold a->nitems entries and, when a has a
 * forms section, out->forms sv_forms_storage(a->nitems) bytes (else NULL).
 * Items whose answers all leave are dropped, like survey_agg does; a forms
 * section left with no form is dropped.  The result may be empty
 * (out->nitems == 0, out->forms == NULL): the summary of no rows, NULL in SQL.
 * False (out undefined) when the subtraction cannot be exact: an item of b
 * not in a, a forms section on one side only, a weighted forms section to
 * remove from, any count that would become negative, or a weighted item as
 * in sd_lk_subtract.
 */
extern bool sd_sv_subtract(const sv_summary *a, const sv_summary *b, sv_summary *out);

#endif							/* SIPAS_SUMMARY_DELTA_H */
