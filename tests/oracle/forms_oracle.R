# tests/oracle/forms_oracle.R - the clustered standard errors sipas reads off summaries
# built from forms (survey_agg(form [, weight])), recomputed with R's survey package from
# the raw forms.  Called by tests/oracle/run:
#
#   Rscript --vanilla forms_oracle.R units.csv forms.csv answers.csv contrasts.csv sipas.csv
#
#   units.csv      unit, m, weighted
#   forms.csv      unit, respondent, w            (every form, also those with no answer)
#   answers.csv    unit, respondent, item, k, score   (answers given; blanks absent)
#   contrasts.csv  name, item, coef               (T = sum coef * index_item)
#   sipas.csv      unit, figure, value            (standard errors in points; NULL = none)
#
# Per unit: one row per form, s_j = answered satisfied (score >= k - 1, yes/no: = 2),
# a_j = answered; d = svydesign(ids = ~1, weights = ~w); t = svytotal(~ s_* + a_*, d);
#   contrast      100 * SE(svycontrast(t, quote(sum coef_j * s_j / a_j)))
#   comprehensive 100 * SE(svyratio(~all_sat, ~answering, d)): forms satisfied with every
#                 item they answered among forms with an answer
# A contrast with an item nobody in the unit answered, or a unit of one form, has no
# figure in R (NaN / "only one PSU") and must be NULL in sipas.
# Pass: |sipas - R| <= 1e-9 points.  Prints the worst difference.
# Near zero, svycontrast's quadratic form grad' V grad carries rounding noise of order
# sqrt(1e-16) (a few 1e-7 points; e.g. two forms whose answers cancel exactly, where the
# exact variance is 0).  There the figure is also computed directly from the forms'
# linearised values, z_i = sum_j coef_j (s_ij - r_j a_ij) / A_j, var = n/(n-1) sum w_i^2 z_i^2
# (exact in rational arithmetic when the answers cancel), and a match with it passes when
# svycontrast's own value is below 1e-6 points; such cases are printed as information.

suppressPackageStartupMessages(library(survey))

args <- commandArgs(trailingOnly = TRUE)
if (length(args) != 5)
    stop("usage: forms_oracle.R units.csv forms.csv answers.csv contrasts.csv sipas.csv")
TOL <- 1e-9

units <- read.csv(args[1])
forms <- read.csv(args[2])
answers <- read.csv(args[3], colClasses = c("integer", "integer", "character", "integer", "integer"))
contrasts <- read.csv(args[4], colClasses = c("character", "character", "numeric"))
sipas <- read.csv(args[5], colClasses = c("integer", "character", "numeric"))

nm <- function(item) gsub(".", "_", item, fixed = TRUE)
items <- sort(unique(c(answers$item, contrasts$item)))

pass <- 0L
fail <- 0L
worst <- 0
check <- function(unit, figure, r, direct = NA) {
    got <- sipas$value[sipas$unit == unit & sipas$figure == figure]
    if (length(got) != 1) {
        cat(sprintf("FAIL unit %d %s: %d sipas rows\n", unit, figure, length(got)))
        fail <<- fail + 1L
        return(invisible())
    }
    ok <- if (is.na(r) || !is.finite(r)) is.na(got) else (!is.na(got) && abs(got - r) <= TOL)
    if (!ok && !is.na(got) && !is.na(direct) && r < 1e-6 && abs(got - direct) <= TOL) {
        cat(sprintf("oracle-forms: info: unit %d %s: svycontrast %.3g points is rounding noise; direct %.3g, sipas %.3g\n",
                    unit, figure, r, direct, got))
        ok <- TRUE
    } else if (!is.na(got) && !is.na(r) && is.finite(r))
        worst <<- max(worst, abs(got - r))
    if (ok) pass <<- pass + 1L else {
        fail <<- fail + 1L
        cat(sprintf("FAIL unit %d %s: sipas %.15g, R %.15g\n", unit, figure, got, r))
    }
}

for (u in units$unit) {
    fu <- forms[forms$unit == u, ]
    au <- answers[answers$unit == u, ]
    df <- data.frame(respondent = fu$respondent, w = fu$w)
    for (it in items) {
        a <- au[au$item == it, ]
        top <- ifelse(a$k >= 3, a$k - 1, a$k)
        sat <- as.integer(a$score >= top)
        df[[paste0("s_", nm(it))]] <- 0
        df[[paste0("a_", nm(it))]] <- 0
        idx <- match(a$respondent, df$respondent)
        df[[paste0("s_", nm(it))]][idx] <- sat
        df[[paste0("a_", nm(it))]][idx] <- 1
    }
    na <- rowSums(df[, grep("^a_", names(df)), drop = FALSE])
    ns <- rowSums(df[, grep("^s_", names(df)), drop = FALSE])
    df$answering <- as.integer(na > 0)
    df$all_sat <- as.integer(na > 0 & ns == na)
    check(u, "respondents", nrow(df))
    if (nrow(df) < 2) {
        for (cn in unique(contrasts$name)) check(u, cn, NA)
        check(u, "comprehensive", NA)
        next
    }
    d <- svydesign(ids = ~1, weights = ~w, data = df)
    fml <- as.formula(paste("~", paste(c(paste0("s_", nm(items)), paste0("a_", nm(items))), collapse = " + ")))
    t <- svytotal(fml, d)
    for (cn in unique(contrasts$name)) {
        cc <- contrasts[contrasts$name == cn, ]
        answered <- sapply(cc$item, function(it) sum(df[[paste0("a_", nm(it))]] * df$w) > 0)
        if (!all(answered)) {
            check(u, cn, NA)
            next
        }
        expr <- parse(text = paste(sprintf("(%.17g) * s_%s / a_%s", cc$coef, nm(cc$item), nm(cc$item)),
                                   collapse = " + "))[[1]]
        r <- svycontrast(t, expr)
        z <- 0
        for (j in seq_len(nrow(cc))) {
            sj <- df[[paste0("s_", nm(cc$item[j]))]]
            aj <- df[[paste0("a_", nm(cc$item[j]))]]
            A <- sum(df$w * aj)
            z <- z + cc$coef[j] * (sj - sum(df$w * sj) / A * aj) / A
        }
        n <- nrow(df)
        direct <- 100 * sqrt(n / (n - 1) * sum(df$w^2 * z^2))
        check(u, cn, 100 * as.numeric(SE(r)), direct)
    }
    if (sum(df$answering * df$w) > 0) {
        rt <- svyratio(~all_sat, ~answering, d)
        check(u, "comprehensive", 100 * as.numeric(SE(rt)))
        idx <- sipas$value[sipas$unit == u & sipas$figure == "comprehensive index"]
        ri <- 100 * sum(df$all_sat * df$w) / sum(df$answering * df$w)
        if (length(idx) == 1 && !is.na(idx) && abs(idx - ri) <= TOL) pass <- pass + 1L else {
            fail <- fail + 1L
            cat(sprintf("FAIL unit %d comprehensive index: sipas %s, R %.15g\n", u, format(idx), ri))
        }
    } else check(u, "comprehensive", NA)
}
cat(sprintf("oracle-forms: worst difference against R %.3g points over %d units\n", worst, nrow(units)))
cat(sprintf("oracle-forms: %d passed, %d failed\n", pass, fail))
quit(status = if (fail == 0) 0 else 1)
