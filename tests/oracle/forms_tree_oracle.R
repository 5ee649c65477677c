# tests/oracle/forms_tree_oracle.R - what sipas reads off summaries of forms through the
# questionnaire tree (node_std_error under a combination rule, change_test between two
# periods, province_index / province_std_error), recomputed with R's survey package from
# the raw forms.  Called by tests/oracle/run (step 7):
#
#   Rscript --vanilla forms_tree_oracle.R catalogue.csv forms.csv answers.csv sipas.csv
#
#   catalogue.csv  code, parent, kind           (questionnaire 2023)
#   forms.csv      period, unit, respondent, w  (every form, also those with no answer)
#   answers.csv    period, unit, respondent, item, k, score   (answers given)
#   sipas.csv      period, unit, figure, node, rule, value
#                  figure: index, se (node_std_error), points / std_error / z / p_value
#                  (change_test, period = the later one), province_index / province_std_error
#                  (unit 0)
#
# Per unit and period: one row per form, s_j = answered satisfied (top two levels), a_j =
# answered; d = svydesign(ids = ~1, weights = ~w); t = svytotal(~ s_* + a_*, d).  A node's
# index under a rule is sum_j c_j s_j / a_j over the items below it that someone answered,
# c_j computed here from the catalogue (mean: each child with a figure counts 1; items: it
# counts the catalogue's items under it; renormalised among the children with a figure);
# its standard error is SE(svycontrast(t, that expression)).  change_test: the difference
# of the two periods' svycontrast estimates, se = sqrt(se_1^2 + se_0^2), z, 2 pnorm(-|z|).
# No test when both standard errors are zero (sipas: NULL std_error, z, p).
# The province: the mean of its units' svycontrast estimates, se = sqrt(sum se_u^2) / U.
# Pass: |sipas - R| <= 1e-9 (points; z and p absolute).  Prints the worst difference.

suppressPackageStartupMessages(library(survey))

args <- commandArgs(trailingOnly = TRUE)
if (length(args) != 4)
    stop("usage: forms_tree_oracle.R catalogue.csv forms.csv answers.csv sipas.csv")
TOL <- 1e-9

cat_ <- read.csv(args[1], colClasses = "character")
forms <- read.csv(args[2])
answers <- read.csv(args[3], colClasses = c("integer", "integer", "integer", "character", "integer", "integer"))
sipas <- read.csv(args[4], colClasses = c("integer", "integer", "character", "character", "character", "numeric"))

nm <- function(item) gsub(".", "_", item, fixed = TRUE)
items <- cat_$code[cat_$kind == "item"]
children <- function(v) cat_$code[!is.na(cat_$parent) & cat_$parent == v]
items_under <- function(v) if (v %in% items) 1 else sum(sapply(children(v), items_under))

# the coefficients of the items below v (named vector), given the items answered
coefs <- function(v, answered, rule) {
    if (v %in% items) return(if (v %in% answered) setNames(1, v) else numeric(0))
    parts <- lapply(children(v), coefs, answered = answered, rule = rule)
    keep <- sapply(parts, length) > 0
    if (!any(keep)) return(numeric(0))
    wt <- if (rule == "items") sapply(children(v)[keep], items_under) else rep(1, sum(keep))
    wt <- wt / sum(wt)
    unlist(mapply(function(p, w) p * w, parts[keep], wt, SIMPLIFY = FALSE))
}

pass <- 0L
fail <- 0L
worst <- 0
check <- function(period, unit, figure, node, rule, r) {
    got <- sipas$value[sipas$period == period & sipas$unit == unit & sipas$figure == figure &
                       sipas$node == node & sipas$rule == rule]
    what <- sprintf("period %d unit %d %s %s (%s)", period, unit, figure, node, rule)
    if (length(got) != 1) {
        cat(sprintf("FAIL %s: %d sipas rows\n", what, length(got)))
        fail <<- fail + 1L
        return(invisible())
    }
    ok <- if (is.na(r) || !is.finite(r)) is.na(got) else (!is.na(got) && abs(got - r) <= TOL)
    if (!is.na(got) && !is.na(r) && is.finite(r)) worst <<- max(worst, abs(got - r))
    if (ok) pass <<- pass + 1L else {
        fail <<- fail + 1L
        cat(sprintf("FAIL %s: sipas %.15g, R %.15g\n", what, got, r))
    }
}

nodes <- unique(sipas$node[sipas$figure == "se"])
rules <- unique(sipas$rule[sipas$figure == "se"])
est <- list()					# key "period/unit/node/rule" -> c(index, se) in points
key <- function(p, u, v, r) paste(p, u, v, r, sep = "/")
cells <- unique(forms[, c("period", "unit")])
for (i in seq_len(nrow(cells))) {
    p <- cells$period[i]
    u <- cells$unit[i]
    fu <- forms[forms$period == p & forms$unit == u, ]
    au <- answers[answers$period == p & answers$unit == u, ]
    df <- data.frame(respondent = fu$respondent, w = fu$w)
    for (it in items) {
        a <- au[au$item == it, ]
        top <- ifelse(a$k >= 3, a$k - 1, a$k)
        df[[paste0("s_", nm(it))]] <- 0
        df[[paste0("a_", nm(it))]] <- 0
        idx <- match(a$respondent, df$respondent)
        df[[paste0("s_", nm(it))]][idx] <- as.integer(a$score >= top)
        df[[paste0("a_", nm(it))]][idx] <- 1
    }
    answered <- items[sapply(items, function(it) sum(df$w * df[[paste0("a_", nm(it))]]) > 0)]
    d <- svydesign(ids = ~1, weights = ~w, data = df)
    t <- if (nrow(df) >= 2)
        svytotal(as.formula(paste("~", paste(c(paste0("s_", nm(answered)), paste0("a_", nm(answered))),
                                             collapse = " + "))), d)
    for (v in nodes) for (r in rules) {
        cf <- coefs(v, answered, r)
        if (length(cf) == 0) {
            check(p, u, "index", v, r, NA)
            check(p, u, "se", v, r, NA)
            est[[key(p, u, v, r)]] <- c(NA, NA)
            next
        }
        ratio <- sapply(names(cf), function(it) sum(df$w * df[[paste0("s_", nm(it))]]) /
                                                 sum(df$w * df[[paste0("a_", nm(it))]]))
        index <- 100 * sum(cf * ratio)
        se <- NA
        if (!is.null(t)) {
            expr <- parse(text = paste(sprintf("(%.17g) * s_%s / a_%s", cf, nm(names(cf)), nm(names(cf))),
                                       collapse = " + "))[[1]]
            se <- 100 * as.numeric(SE(svycontrast(t, expr)))
        }
        check(p, u, "index", v, r, index)
        check(p, u, "se", v, r, se)
        est[[key(p, u, v, r)]] <- c(index, se)
    }
}

# change_test: the later period against the earlier one, unit by unit
ch <- unique(sipas[sipas$figure == "points", c("period", "unit", "node", "rule")])
for (i in seq_len(nrow(ch))) {
    p <- ch$period[i]; u <- ch$unit[i]; v <- ch$node[i]; r <- ch$rule[i]
    a <- est[[key(p, u, v, r)]]
    b <- est[[key(p - 1, u, v, r)]]
    se <- sqrt(a[2]^2 + b[2]^2)
    # both variances exactly zero (a 100 % item in both periods): no test in sipas, as in
    # change_test(likert); svycontrast gives rounding noise of order 1e-15 points there
    if (!is.na(se) && se < 1e-12) se <- NA
    z <- (a[1] - b[1]) / se
    check(p, u, "points", v, r, a[1] - b[1])
    check(p, u, "std_error", v, r, se)
    check(p, u, "z", v, r, z)
    check(p, u, "p_value", v, r, 2 * pnorm(-abs(z)))
}

# the province: the mean of its units, units independent strata
pr <- unique(sipas[sipas$figure == "province_index", c("period", "node", "rule")])
for (i in seq_len(nrow(pr))) {
    p <- pr$period[i]; v <- pr$node[i]; r <- pr$rule[i]
    us <- unique(forms$unit[forms$period == p])
    e <- t(sapply(us, function(u) est[[key(p, u, v, r)]]))
    e <- e[!is.na(e[, 1]), , drop = FALSE]
    check(p, 0, "province_index", v, r, mean(e[, 1]))
    check(p, 0, "province_std_error", v, r, if (any(is.na(e[, 2]))) NA else sqrt(sum(e[, 2]^2)) / nrow(e))
}

cat(sprintf("oracle-forms-tree: worst difference %.3g\n", worst))
cat(sprintf("oracle-forms-tree: %d passed, %d failed\n", pass, fail))
quit(status = if (fail > 0) 1 else 0)
