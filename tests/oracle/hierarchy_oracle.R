# tests/oracle/hierarchy_oracle.R - recompute sipas's questionnaire-tree figures and the
# respondent-clustered standard error (doc/reference.md, "Survey summaries and the
# questionnaire tree", "Standard error clustered by respondent") with R's survey package,
# from the raw answers only, and compare.  Called by tests/oracle/run:
#
#   Rscript --vanilla hierarchy_oracle.R units.csv nodes.csv answers.csv sipas.csv
#
#   units.csv    unit, label, m                     (one row per unit; m = forms handed out)
#   nodes.csv    code, parent, kind, position       (the catalogue: sipas.node, questionnaire 2023)
#   answers.csv  unit, respondent, item, score      (raw rows, one per respondent and item; NULL = empty)
#   sipas.csv    unit, figure, value                (sipas's figures; NULL = empty)
#
# sipas's figures, per unit (rule = mean, items):
#   overall/RULE          sipas.overall(s, '2023', RULE)
#   node/RULE/CODE        sipas.node_index(s, CODE, '2023', RULE), every node of the catalogue
#   weight/RULE/ITEM      item_weights(s, '2023', RULE).weight   (only answered items have a row)
#   index/ITEM, n/ITEM    item_weights(s).index, .n
#   se/RULE               the query of doc/reference.md, "Standard error clustered by
#                         respondent" (taken verbatim from the doc by tests/oracle/run;
#                         for 'items' with item_weights(s.s, '2023', 'items'))
#
# The reference, from answers.csv and the catalogue only:
#   - respondent-level data: one row per respondent with at least one valid answer, for
#     item i  y_i = (score >= 4) and a_i = (score is not NULL);  p_i = sum(y_i) / sum(a_i);
#   - tree means in plain arithmetic: item -> group -> part -> overall, each inner node the
#     mean of its children that have a value ('mean'), or their mean weighted by the number
#     of items the catalogue puts under each child ('items': 23 : 16 for the parts, 2 : 2 :
#     9 : 10 and 3 : 4 : 3 : 3 : 3 for the groups);  a node without answers below is NA;
#   - item weights c_i: the product, down the path, of each node's share in its parent's mean;
#   - the standard error from survey's machinery, two ways that must agree (self-check):
#       A. d <- svydesign(ids = ~1, data = respondents)          (one-stage, with replacement)
#          t <- svytotal(~ y_1 + a_1 + ... , d)                  (answered items)
#          svycontrast(t, list(mean = <tree>, items = <tree>))   nonlinear: the whole tree
#                                                                written as an R expression of
#                                                                the totals, e.g. for a group
#                                                                ((y_1/a_1 + y_2/a_2)/2)
#       B. dl <- svydesign(ids = ~respondent, data = answers)    (long form, valid answers)
#          r <- svyby(~y, ~item, dl, svyratio, denominator = ~a, covmat = TRUE)
#          svycontrast(r, list(mean = c_mean, items = c_items))  linear, R's own c_i
#     A is the reference compared with sipas; B must match A to 1e-11 relative.
#   - self-check of survey's scaling: for every item, on the design of the respondents who
#     answered it, SE(svyratio(~y_i, ~a_i)) = sqrt(p_i (1 - p_i) / (n_i - 1)).
#
# A figure passes when |sipas - R| <= 1e-9 * max(|sipas|, |R|) (relative only: equal
# zeros pass; an item count must be equal).  NULL in sipas must meet NA in R.
#
# Blank forms (a respondent without any valid answer) are unit nonresponse: they are not
# in the respondent-level data, as they are not in the doc's query (its m counts the
# respondents with a valid answer).  Kept as a row of zeros they would only change survey's
# m/(m-1) factor; the run prints that alternative SE as information.

suppressPackageStartupMessages(library(survey))

args <- commandArgs(trailingOnly = TRUE)
if (length(args) != 4)
    stop("usage: hierarchy_oracle.R units.csv nodes.csv answers.csv sipas.csv")

REL_TOL <- 1e-9
SELF_TOL <- 1e-11
RULES <- c("mean", "items")
TAG <- "oracle-hierarchy"

units <- read.csv(args[1], colClasses = c("integer", "character", "integer"))
nodes <- read.csv(args[2], colClasses = c("character", "character", "character", "integer"),
                  na.strings = "")
answers <- read.csv(args[3], colClasses = c("integer", "integer", "character", "integer"),
                    na.strings = "")
sipas <- read.csv(args[4], colClasses = c("integer", "character", "numeric"), na.strings = "")

# ---- the catalogue -------------------------------------------------------------------
children <- function(code) {
    ch <- nodes[!is.na(nodes$parent) & nodes$parent == code, ]
    ch$code[order(ch$position)]
}
root <- nodes$code[nodes$kind == "overall"]
if (length(root) != 1) stop("catalogue: expected one overall node")
kind <- setNames(nodes$kind, nodes$code)
# items in questionnaire order, and the number of catalogue items under every node
item_order <- character(0)
n_items <- c()
walk <- function(code) {
    if (kind[[code]] == "item") {
        item_order <<- c(item_order, code)
        n_items[code] <<- 1
        return(1)
    }
    k <- sum(vapply(children(code), walk, numeric(1)))
    n_items[code] <<- k
    k
}
invisible(walk(root))
if (length(item_order) != 39) stop(sprintf("catalogue: %d items, expected 39", length(item_order)))
part_items <- n_items[children(root)]
cat(sprintf("%s: catalogue: %d items; items per part %s; per group %s\n", TAG, length(item_order),
            paste(sprintf("%s=%d", names(part_items), part_items), collapse = " "),
            paste(sprintf("%s=%d", nodes$code[nodes$kind == "group"],
                          n_items[nodes$code[nodes$kind == "group"]]), collapse = " ")))
if (!all(answers$item %in% item_order)) stop("answers.csv: item codes outside the catalogue")
vname <- function(prefix, item) paste0(prefix, "_", match(item, item_order))   # y_1 .. y_39

# ---- the tree: values, item weights, survey expression, all by the same recursion ----
# share of each child with a value in its parent's mean
child_shares <- function(ch, rule) {
    if (rule == "mean") rep(1 / length(ch), length(ch))
    else n_items[ch] / sum(n_items[ch])
}
# returns NA when no item below `code` has an answer; else list(value, weights, expr)
tree <- function(code, rule, p) {
    if (kind[[code]] == "item") {
        if (is.na(p[[code]])) return(NA)
        w <- setNames(1, code)
        return(list(value = 100 * p[[code]], weights = w,
                    expr = sprintf("(%s/%s)", vname("y", code), vname("a", code))))
    }
    sub <- lapply(children(code), tree, rule = rule, p = p)
    names(sub) <- children(code)
    sub <- sub[!vapply(sub, function(x) identical(x, NA), logical(1))]
    if (!length(sub)) return(NA)
    sh <- child_shares(names(sub), rule)
    value <- sum(sh * vapply(sub, `[[`, numeric(1), "value"))
    weights <- unlist(unname(Map(function(s, x) s * x$weights, sh, sub)))
    exprs <- vapply(sub, `[[`, character(1), "expr")
    expr <- if (rule == "mean") {
        sprintf("((%s)/%d)", paste(exprs, collapse = " + "), length(exprs))
    } else {
        ni <- n_items[names(sub)]
        sprintf("((%s)/%d)", paste(sprintf("%d*%s", ni, exprs), collapse = " + "), sum(ni))
    }
    list(value = value, weights = weights, expr = expr)
}
# every node's value (NA without answers below)
node_values <- function(rule, p) {
    vapply(nodes$code, function(code) {
        t <- tree(code, rule, p)
        if (identical(t, NA)) NA_real_ else t$value
    }, numeric(1))
}

rel <- function(a, b) { s <- max(abs(a), abs(b)); if (s > 0) abs(a - b) / s else 0 }
self_check <- function(what, a, b, tol = SELF_TOL) {
    if (!isTRUE(rel(a, b) <= tol))
        stop(sprintf("oracle self-check failed: %s: %.17g vs %.17g (rel %.3g)", what, a, b, rel(a, b)))
}
quiet_design <- function(...) {
    withCallingHandlers(svydesign(...), warning = function(w) {
        if (grepl("No weights or probabilities supplied", conditionMessage(w))) invokeRestart("muffleWarning")
    })
}

# ---- per unit ------------------------------------------------------------------------
r_rows <- list()
info <- character(0)
self_worst <- c(b = 0, item = 0)
t0 <- proc.time()[["elapsed"]]

for (ui in seq_len(nrow(units))) {
    u <- units$unit[ui]
    a_u <- answers[answers$unit == u, ]
    if (nrow(a_u) != units$m[ui] * length(item_order))
        stop(sprintf("unit %d: %d rows, expected %d", u, nrow(a_u), units$m[ui] * length(item_order)))
    valid <- a_u[!is.na(a_u$score), ]
    resp_ids <- sort(unique(valid$respondent))
    blank <- setdiff(sort(unique(a_u$respondent)), resp_ids)
    m <- length(resp_ids)

    # respondent-level data: y_i, a_i for every catalogue item
    Y <- matrix(0, m, length(item_order))
    A <- matrix(0, m, length(item_order))
    ri <- match(valid$respondent, resp_ids)
    ii <- match(valid$item, item_order)
    if (anyDuplicated(cbind(ri, ii))) stop(sprintf("unit %d: two answers of one respondent to one item", u))
    A[cbind(ri, ii)] <- 1
    Y[cbind(ri, ii)] <- as.numeric(valid$score >= 4)
    colnames(Y) <- vname("y", item_order)
    colnames(A) <- vname("a", item_order)
    resp <- data.frame(Y, A)

    n_i <- setNames(colSums(A), item_order)
    p <- setNames(ifelse(n_i > 0, colSums(Y) / pmax(n_i, 1), NA_real_), item_order)
    answered <- item_order[n_i > 0]

    d <- quiet_design(ids = ~1, data = resp)
    if (degf(d) != m - 1) stop(sprintf("unit %d: degf %d, expected %d", u, degf(d), m - 1))

    # A: svytotal of y_i, a_i for the answered items + nonlinear svycontrast of the tree
    trees <- lapply(setNames(RULES, RULES), function(rule) tree(root, rule, p))
    tot <- svytotal(as.formula(paste("~", paste(c(vname("y", answered), vname("a", answered)),
                                               collapse = " + "))), d)
    nl <- svycontrast(tot, lapply(trees, function(t) parse(text = t$expr)[[1]]))
    se_a <- 100 * sqrt(diag(vcov(nl)))
    for (rule in RULES) self_check(sprintf("unit %d %s: svycontrast estimate vs tree", u, rule),
                                   100 * coef(nl)[[rule]], trees[[rule]]$value, 1e-12)

    # B: long form, clusters = respondents, svyby(svyratio) + linear svycontrast
    long <- data.frame(respondent = valid$respondent, item = factor(valid$item, levels = answered),
                       y = as.numeric(valid$score >= 4), a = 1)
    dl <- quiet_design(ids = ~respondent, data = long)
    by <- svyby(~y, ~item, dl, svyratio, denominator = ~a, covmat = TRUE)
    by_items <- as.character(by$item)
    lin <- svycontrast(by, lapply(trees, function(t) unname(t$weights[by_items])))
    for (rule in RULES) {
        se_b <- 100 * sqrt(vcov(lin)[rule, rule])
        self_check(sprintf("unit %d %s: SE path B (svyby/svyratio, ids = ~respondent) vs A", u, rule),
                   se_b, se_a[[rule]])
        self_worst["b"] <- max(self_worst["b"], rel(se_b, se_a[[rule]]))
        self_check(sprintf("unit %d %s: sum of item weights", u, rule), sum(trees[[rule]]$weights), 1, 1e-14)
    }
    # the respondent effect at work: the same SE with the covariances between items dropped
    se_ind <- sapply(RULES, function(rule) 100 * sqrt(sum(trees[[rule]]$weights[by_items]^2 * diag(vcov(by)))))
    for (it in by_items) self_check(sprintf("unit %d %s: svyratio vs p_i", u, it),
                                    coef(by)[[it]], p[[it]], 1e-14)

    # survey's scaling: one item per respondent -> sqrt(p(1-p)/(n-1))
    for (it in answered[n_i[answered] >= 2]) {
        sub <- resp[A[, match(it, item_order)] == 1, , drop = FALSE]
        di <- quiet_design(ids = ~1, data = sub)
        se_i <- SE(svyratio(as.formula(paste0("~", vname("y", it))),
                            as.formula(paste0("~", vname("a", it))), di))[1]
        hand <- sqrt(p[[it]] * (1 - p[[it]]) / (n_i[[it]] - 1))
        self_worst["item"] <- max(self_worst["item"], if (hand > 0) rel(se_i, hand) else abs(se_i))
        if (hand == 0) { if (se_i != 0) stop(sprintf("unit %d %s: SE %g at p = %g", u, it, se_i, p[[it]])) }
        else self_check(sprintf("unit %d %s: svyratio SE vs sqrt(p(1-p)/(n-1))", u, it), se_i, hand, 1e-12)
    }

    # blank forms kept as rows of zeros: only survey's m/(m-1) changes
    if (length(blank)) {
        z <- as.data.frame(matrix(0, length(blank), ncol(resp), dimnames = list(NULL, names(resp))))
        d0 <- quiet_design(ids = ~1, data = rbind(resp, z))
        t0b <- svytotal(as.formula(paste("~", paste(c(vname("y", answered), vname("a", answered)),
                                                   collapse = " + "))), d0)
        se0 <- 100 * SE(svycontrast(t0b, list(mean = parse(text = trees$mean$expr)[[1]])))[1]
        info <- c(info, sprintf(paste0("unit %d: %d blank form(s) left out (m = %d); kept as rows of zeros, ",
                                       "se/mean would be %.15g instead of %.15g (ratio %.12f = sqrt((M/(M-1)) / (m/(m-1))), M = %d)"),
                                u, length(blank), m, se0, se_a[["mean"]], se0 / se_a[["mean"]],
                                m + length(blank)))
        self_check(sprintf("unit %d: blank forms change only m/(m-1)", u), se0 / se_a[["mean"]],
                   sqrt((m + length(blank)) / (m + length(blank) - 1) / (m / (m - 1))), 1e-12)
    }

    # the figures
    fig <- list()
    for (rule in RULES) {
        fig[[paste0("overall/", rule)]] <- trees[[rule]]$value
        nv <- node_values(rule, p)
        for (code in names(nv)) fig[[paste0("node/", rule, "/", code)]] <- nv[[code]]
        w <- trees[[rule]]$weights
        for (it in names(w)) fig[[paste0("weight/", rule, "/", it)]] <- w[[it]]
        fig[[paste0("se/", rule)]] <- se_a[[rule]]
    }
    for (it in answered) {
        fig[[paste0("index/", it)]] <- 100 * p[[it]]
        fig[[paste0("n/", it)]] <- n_i[[it]]
    }
    r_rows[[ui]] <- data.frame(unit = u, figure = names(fig), r = unlist(fig, use.names = FALSE),
                               stringsAsFactors = FALSE)
    info <- c(info, sprintf("unit %d (%s): %d respondents, %d answers, %d of 39 items answered; overall %.6f / %.6f, se %.6f / %.6f (mean / items; %.6f / %.6f if items were independent)",
                            u, units$label[ui], m, nrow(valid), length(answered),
                            trees$mean$value, trees$items$value, se_a[["mean"]], se_a[["items"]],
                            se_ind[["mean"]], se_ind[["items"]]))
}
r_all <- do.call(rbind, r_rows)
t_r <- proc.time()[["elapsed"]] - t0

# ---- compare: one check per (unit, figure) ---------------------------------------------
both <- merge(r_all, sipas, by = c("unit", "figure"), all = TRUE)
labels <- setNames(units$label, units$unit)
passed <- 0L
failed <- 0L
kind_of <- function(f) sub("/.*", "", f)
worst <- list()        # per figure kind: rel, where
fmt <- function(x) if (is.na(x)) "NULL/NA" else sprintf("%.17g", x)

for (i in seq_len(nrow(both))) {
    s <- both$value[i]
    r <- both$r[i]
    f <- both$figure[i]
    where <- sprintf("unit %d (%s) %s", both$unit[i], labels[[as.character(both$unit[i])]], f)
    ok <- FALSE
    why <- ""
    in_r <- any(r_all$unit == both$unit[i] & r_all$figure == f)
    in_s <- any(sipas$unit == both$unit[i] & sipas$figure == f)
    if (!in_r) {
        why <- "figure from sipas without an R counterpart (e.g. a weight for an unanswered item)"
    } else if (!in_s) {
        why <- "figure missing from sipas output"
    } else if (is.na(s) && is.na(r)) {
        ok <- TRUE
    } else if (is.na(s) || is.na(r)) {
        why <- if (is.na(s)) "sipas NULL, R defined" else "sipas defined, R NA"
    } else if (kind_of(f) == "n") {
        ok <- s == r
        if (!ok) why <- "counts differ"
    } else {
        rd <- rel(s, r)
        ok <- abs(s - r) <= REL_TOL * max(abs(s), abs(r))
        k <- kind_of(f)
        if (is.null(worst[[k]]) || rd > worst[[k]]$rel) worst[[k]] <- list(rel = rd, where = where)
        if (!ok) why <- sprintf("abs diff %.3g, rel diff %.3g", abs(s - r), rd)
    }
    if (ok) {
        passed <- passed + 1L
    } else {
        failed <- failed + 1L
        cat(sprintf("MISMATCH %s: sipas=%s R=%s (%s)\n", where, fmt(s), fmt(r), why))
    }
}

cat(sprintf("%s: R %s.%s, survey %s; %d units, %d respondents, %d answer rows; R figures in %.1f s\n",
            TAG, R.version$major, R.version$minor, packageVersion("survey"),
            nrow(units), sum(units$m), nrow(answers), t_r))
for (line in info) cat(TAG, ": info: ", line, "\n", sep = "")
cat(sprintf("%s: info: self-checks: SE path B vs A worst rel %.3g; item svyratio SE vs sqrt(p(1-p)/(n-1)) worst rel %.3g\n",
            TAG, self_worst[["b"]], self_worst[["item"]]))
all_worst <- list(rel = 0, where = "-")
for (k in names(worst)) {
    cat(sprintf("%s: worst relative difference, %-7s %.3g (%s)\n", TAG, paste0(k, ":"), worst[[k]]$rel, worst[[k]]$where))
    if (worst[[k]]$rel > all_worst$rel) all_worst <- worst[[k]]
}
cat(sprintf("%s: worst relative difference %.3g (%s)\n", TAG, all_worst$rel, all_worst$where))
cat(sprintf("%s: %d passed, %d failed\n", TAG, passed, failed))
quit(status = if (failed > 0) 1 else 0)
