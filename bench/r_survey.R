# bench/r_survey.R - the R side of the r_survey benchmark case (bench/cases/80-r_survey.py).
#   Rscript bench/r_survey.R answers.csv out.csv [svyciprop|svymean]
# Reads unit, score, weight (scores 1..5, no NULLs); times ONLY the svyby() call with
# system.time (reading the CSV and building the design are not timed); writes per unit
# the estimate and, for svyciprop, the logit 95 % interval in percent; prints
# "elapsed_seconds=<s>".
suppressMessages(library(survey))
args <- commandArgs(TRUE)
fun <- if (length(args) >= 3) args[3] else "svyciprop"
d <- read.csv(args[1], colClasses = c("integer", "integer", "numeric"))
if (fun == "svyciprop") {
    des <- svydesign(ids = ~1, weights = ~weight, data = d)
    t <- system.time(r <- svyby(~I(score >= 4), ~unit, des, svyciprop, method = "logit",
                                level = 0.95, vartype = "ci"))
    out <- data.frame(unit = r$unit, idx = 100 * r[[2]], lower = 100 * r$ci_l, upper = 100 * r$ci_u)
} else if (fun == "svymean") {
    d$sat <- as.numeric(d$score >= 4)
    des <- svydesign(ids = ~1, weights = ~weight, data = d)
    t <- system.time(r <- svyby(~sat, ~unit, des, svymean))
    out <- data.frame(unit = r$unit, idx = 100 * r$sat, lower = NA, upper = NA)
} else {
    stop("unknown function: ", fun)
}
write.csv(out, args[2], row.names = FALSE)
cat(sprintf("elapsed_seconds=%.3f\n", t[["elapsed"]]))
