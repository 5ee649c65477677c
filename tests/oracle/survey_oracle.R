# tests/oracle/survey_oracle.R - recompute sipas's figures with R's survey package and
# compare.  Called by tests/oracle/run:
#
#   Rscript --vanilla survey_oracle.R groups.csv answers.csv sipas.csv
#
#   groups.csv   g, label, n, k, weighted          (one row per group)
#   answers.csv  g, k, weighted, score, w          (raw answers; w = 1 when unweighted)
#   sipas.csv    g, figure, value                  (sipas's figures, percent; NULL = empty)
#
# Figures (all percent), per group, with y = (score >= top), top = k - 1 (k = 2: top = 2),
# d = svydesign(ids = ~1, weights = ~w), for C in 0.90, 0.95, 0.99:
#
#   index                 100 * coef(svymean(~y, d))
#   std_error             100 * SE(svymean(~y, d))
#   logit_C_lower/upper   svyciprop(~y, d, method = "logit", level = C), computed as
#                         svyciprop computes it, minus two numerical shortcuts of its own
#                         (see "The logit reference" below)
#   wilson_C_lower/upper  unweighted: 100 * prop.test(x, n, conf.level = C, correct = FALSE)$conf.int
#                         weighted:   Wilson score interval on the Kish n = (sum w)^2 / sum w^2,
#                                     z = qnorm(1 - (1 - C) / 2), from the raw rows
#
# A figure passes when |sipas - R| <= 1e-9 * max(|sipas|, |R|) or |sipas - R| <= 1e-9
# (points).  NULL in sipas must meet an undefined figure in R, and vice versa:
#   - n = 1: svydesign() refuses a design with one PSU ("Design has only one primary
#     sampling unit"): std_error and the logit interval do not exist (the index is then
#     100 * weighted.mean(y, w));
#   - share 0 % or 100 %: the logit of the share is -Inf / +Inf.  svyciprop still returns
#     numbers (svyglm's IRLS stops at a finite intercept when its deviance criterion is
#     met): [100, 100] % at 100 %, and at 0 % a few 1e-10 % wide intervals that do not even
#     contain the estimate 0.  They are printed as information and treated as undefined;
#     sipas returns NULL there by design.
#
# The logit reference.  svyciprop(method = "logit") fits svyglm(y ~ 1, d, family =
# quasibinomial) and returns expit(confint(fit, level = C, method = "Wald", ddf = degf(d))),
# i.e. expit(eta +- qt(1 - (1 - C)/2, n - 1) * SE(eta)) with the sandwich SE of svyglm.
# Taken literally, its output is only good to about 1e-8, for two reasons inside survey
# 4.1 (found while building this test; see README.md):
#   1. svyglm uses glm.control()'s default epsilon = 1e-8 on the deviance, so the IRLS
#      stops with eta off by up to a few 1e-9 (relative errors of ~1e-9 in the bounds);
#   2. confint.svyglm turns the t quantile into a normal level, tlevel = 1 - 2 * pnorm(
#      qt((1 - C)/2, ddf)), and back through qnorm: for small df and high C, 1 - tlevel
#      loses digits (df = 3, C = 0.99: relative error 3e-10 in the quantile) or rounds to
#      0 (df = 1 at C >= 0.95, df = 2 at C = 0.99), and the interval becomes [0, NaN].
# The reference therefore is the same model and formula without the shortcuts: svyglm with
# glm.control(epsilon = 1e-14, maxit = 100) (checked to converge), t quantile from qt, and
# plogis for expit.  The literal svyciprop output is compared with it and the deviation is
# printed; with SIPAS_ORACLE_LITERAL=1 the checks use the literal output instead.

suppressPackageStartupMessages(library(survey))

args <- commandArgs(trailingOnly = TRUE)
if (length(args) != 3)
    stop("usage: survey_oracle.R groups.csv answers.csv sipas.csv")

REL_TOL <- 1e-9
ABS_TOL <- 1e-9        # points (percent), for figures near 0
CONFS <- c("0.90", "0.95", "0.99")
LITERAL <- nzchar(Sys.getenv("SIPAS_ORACLE_LITERAL"))

groups <- read.csv(args[1], colClasses = c("integer", "character", "integer", "integer", "character"))
answers <- read.csv(args[2], colClasses = c("integer", "integer", "character", "integer", "numeric"))
sipas <- read.csv(args[3], colClasses = c("integer", "character", "numeric"), na.strings = "")
groups$weighted <- groups$weighted == "t"

# The Wilson score interval for a share p on n (possibly fractional) answers, written
# out from its definition; it is checked against prop.test on every unweighted group.
wilson <- function(p, n, conf) {
    z <- qnorm(1 - (1 - conf) / 2)
    z2n <- z * z / n
    centre <- (p + z2n / 2) / (1 + z2n)
    half <- z / (1 + z2n) * sqrt(p * (1 - p) / n + z2n / (4 * n))
    c(if (p <= 0) 0 else max(centre - half, 0), if (p >= 1) 1 else min(centre + half, 1))
}

figure_names <- c("index", "std_error",
                  as.vector(t(outer(as.vector(t(outer(c("logit", "wilson"), CONFS, paste, sep = "_"))),
                                    c("lower", "upper"), paste, sep = "_"))))

info <- character(0)
r_rows <- list()
lit_worst <- 0             # literal svyciprop vs the reference, regular cases
lit_degenerate <- character(0)
t0 <- proc.time()[["elapsed"]]

for (gi in seq_len(nrow(groups))) {
    g <- groups$g[gi]
    k <- groups$k[gi]
    a <- answers[answers$g == g, ]
    if (nrow(a) != groups$n[gi])
        stop(sprintf("group %d: %d answers exported, %d expected", g, nrow(a), groups$n[gi]))
    top <- if (k >= 3) k - 1 else k
    y <- as.numeric(a$score >= top)
    w <- a$w
    n <- length(y)
    x <- sum(y)
    fig <- setNames(rep(NA_real_, length(figure_names)), figure_names)
    lit_fig <- fig

    design <- tryCatch(svydesign(ids = ~1, weights = ~w, data = data.frame(y = y, w = w)),
                       error = function(e) e)
    if (inherits(design, "error")) {
        # Only n = 1 may get here.
        if (n != 1) stop(sprintf("group %d: svydesign failed: %s", g, conditionMessage(design)))
        fig["index"] <- 100 * weighted.mean(y, w)
        info <- c(info, sprintf("group %2d (%s): svydesign(): \"%s\" -> std_error and logit undefined",
                                g, groups$label[gi], conditionMessage(design)))
    } else {
        if (degf(design) != n - 1) stop(sprintf("group %d: degf %d, expected %d", g, degf(design), n - 1))
        m <- svymean(~y, design)
        fig["index"] <- 100 * unname(coef(m))[1]
        fig["std_error"] <- 100 * unname(SE(m))[1]

        if (x > 0 && x < n) {
            # svyciprop's model, fitted to convergence (see "The logit reference")
            fit <- svyglm(y ~ 1, design, family = quasibinomial,
                          control = glm.control(epsilon = 1e-14, maxit = 100))
            if (!fit$converged) stop(sprintf("group %d: svyglm did not converge", g))
            eta <- unname(coef(fit))[1]
            se_eta <- unname(SE(fit))[1]
        }
        undefined <- character(0)
        for (cs in CONFS) {
            conf <- as.numeric(cs)
            lit <- withCallingHandlers(
                as.vector(attr(svyciprop(~y, design, method = "logit", level = conf), "ci")),
                warning = function(w) invokeRestart("muffleWarning"))
            if (x > 0 && x < n) {
                h <- qt(1 - (1 - conf) / 2, degf(design)) * se_eta
                ref <- plogis(eta + c(-h, h))
                key <- paste0("logit_", cs, c("_lower", "_upper"))
                fig[key] <- 100 * (if (LITERAL) lit else ref)
                if (all(is.finite(lit)) && all(lit > 0 & lit < 1)) {
                    lit_worst <- max(lit_worst, abs(lit / ref - 1))
                } else {
                    lit_degenerate <- c(lit_degenerate, sprintf(
                        "group %d (n = %d, df = %d) at %s: svyciprop [%s, %s] %%, reference [%s, %s] %%",
                        g, n, degf(design), cs, format(100 * lit[1], digits = 6), format(100 * lit[2], digits = 6),
                        format(100 * ref[1], digits = 6), format(100 * ref[2], digits = 6)))
                }
            } else {
                undefined <- c(undefined, sprintf("%s: [%.4g, %.4g]", cs, 100 * lit[1], 100 * lit[2]))
            }
        }
        if (length(undefined))
            info <- c(info, sprintf("group %2d (%s): share %g %%, logit undefined; svyciprop gives (%%) %s",
                                    g, groups$label[gi], 100 * x / n, paste(undefined, collapse = ", ")))
    }

    for (cs in CONFS) {
        conf <- as.numeric(cs)
        if (!groups$weighted[gi]) {
            pt <- as.vector(suppressWarnings(prop.test(x, n, conf.level = conf, correct = FALSE))$conf.int)
            mine <- wilson(x / n, n, conf)
            if (any(abs(pt - mine) > 1e-13))
                stop(sprintf("oracle self-check: wilson() and prop.test differ for %d of %d at %s", x, n, cs))
            ci <- pt
        } else {
            neff <- sum(w)^2 / sum(w^2)
            ci <- wilson(sum(w * y) / sum(w), neff, conf)
        }
        fig[paste0("wilson_", cs, c("_lower", "_upper"))] <- 100 * ci
    }
    r_rows[[gi]] <- data.frame(g = g, figure = figure_names, r = unname(fig), stringsAsFactors = FALSE)
}
r_all <- do.call(rbind, r_rows)
t_r <- proc.time()[["elapsed"]] - t0

# ---- compare: one check per (group, figure) ----
both <- merge(r_all, sipas, by = c("g", "figure"), all = TRUE)
labels <- setNames(groups$label, groups$g)
passed <- 0L
failed <- 0L
worst_rel <- 0
worst_rel_at <- ""
worst_rel1 <- 0          # the same over figures of at least 1 point
worst_rel1_at <- ""
worst_abs <- 0
fmt <- function(x) if (is.na(x)) "NULL/undefined" else sprintf("%.17g", x)

for (i in seq_len(nrow(both))) {
    s <- both$value[i]
    r <- both$r[i]
    where <- sprintf("group %2d (%s) %s", both$g[i], labels[[as.character(both$g[i])]], both$figure[i])
    ok <- FALSE
    why <- ""
    if (!(both$figure[i] %in% figure_names)) {
        why <- "unexpected figure from sipas"
    } else if (!any(sipas$g == both$g[i] & sipas$figure == both$figure[i])) {
        why <- "figure missing from sipas output"
    } else if (is.na(s) && is.na(r)) {
        ok <- TRUE
    } else if (is.na(s) || is.na(r)) {
        why <- if (is.na(s)) "sipas NULL, R defined" else "sipas defined, R undefined"
    } else {
        d <- abs(s - r)
        scale <- max(abs(s), abs(r))
        rel <- if (scale > 0) d / scale else 0
        ok <- d <= ABS_TOL || d <= REL_TOL * scale
        if (scale > ABS_TOL && rel > worst_rel) {
            worst_rel <- rel
            worst_rel_at <- where
        }
        if (scale >= 1 && rel > worst_rel1) {
            worst_rel1 <- rel
            worst_rel1_at <- where
        }
        worst_abs <- max(worst_abs, d)
        if (!ok) why <- sprintf("abs diff %.3g, rel diff %.3g", d, rel)
    }
    if (ok) {
        passed <- passed + 1L
    } else {
        failed <- failed + 1L
        cat(sprintf("MISMATCH %s: sipas=%s R=%s (%s)\n", where, fmt(s), fmt(r), why))
    }
}

cat(sprintf("oracle-r: R %s.%s, survey %s; %d groups, %d answers; R figures in %.1f s\n",
            R.version$major, R.version$minor, packageVersion("survey"),
            nrow(groups), nrow(answers), t_r))
for (line in info) cat("oracle-r: info:", line, "\n")
cat(sprintf("oracle-r: info: logit checks use %s\n",
            if (LITERAL) "the literal svyciprop output (SIPAS_ORACLE_LITERAL set)"
            else "svyciprop's model fitted to convergence with qt (see survey_oracle.R)"))
cat(sprintf("oracle-r: info: literal svyciprop vs that reference: worst relative difference %.3g (regular cases)\n",
            lit_worst))
for (line in lit_degenerate) cat("oracle-r: info: literal svyciprop degenerate:", line, "\n")
cat(sprintf("oracle-r: worst relative difference %.3g (%s)\n",
            worst_rel, if (nzchar(worst_rel_at)) worst_rel_at else "-"))
cat(sprintf("oracle-r: worst relative difference, figures >= 1 point: %.3g (%s)\n",
            worst_rel1, if (nzchar(worst_rel1_at)) worst_rel1_at else "-"))
cat(sprintf("oracle-r: worst absolute difference %.3g points\n", worst_abs))
# tests/run (tests/README.md) reads "<suite dir>: N passed, M failed": tests/oracle/run
# prints that line last, summed over this script and hierarchy_oracle.R.
cat(sprintf("oracle-r: %d passed, %d failed\n", passed, failed))
quit(status = if (failed > 0) 1 else 0)
