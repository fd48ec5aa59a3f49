# Reference fits for bench/glm.bench.ts: Poisson GLM (stats::glm) or NB2 (MASS::glm.nb) with
# offset(log(Exposure)) on the banded French MTPL data written by the benchmark.
# Usage: Rscript glm.R <banded.csv> <out.txt> <Factor=base;Factor=base;...> <poisson|nb>
# Only the factors named in the third argument enter the model (the CSV may hold more columns).
# The fit time is measured with system.time() around the fit only (CSV reading excluded).
args <- commandArgs(TRUE)
suppressMessages(library(MASS))
bases <- lapply(strsplit(strsplit(args[3], ";", fixed = TRUE)[[1]], "=", fixed = TRUE), function(b) c(b[1], paste(b[-1], collapse = "=")))
factors <- vapply(bases, `[`, "", 1)
hdr <- names(read.csv(args[1], nrows = 1))
cls <- ifelse(hdr %in% c("ClaimNb", "Exposure"), "numeric", "character")
tr <- system.time(d <- read.csv(args[1], colClasses = cls))[["elapsed"]]
for (b in bases) d[[b[1]]] <- relevel(factor(d[[b[1]]]), ref = b[2])
fml <- as.formula(paste("ClaimNb ~", paste(factors, collapse = " + "), "+ offset(log(Exposure))"))
ctl <- glm.control(epsilon = 1e-12, maxit = 100)
if (args[4] == "poisson") {
  tf <- system.time(m <- glm(fml, family = poisson, data = d, control = ctl))[["elapsed"]]
  extra <- c(theta = NA, theta_se = NA)
} else {
  tf <- system.time(m <- glm.nb(fml, data = d, control = ctl))[["elapsed"]]
  extra <- c(theta = m$theta, theta_se = m$SE.theta)
}
s <- summary(m)$coefficients
out <- c(sprintf("meta,read_s,%.6f", tr), sprintf("meta,fit_s,%.6f", tf), sprintf("meta,iter,%d", as.integer(m$iter)),
         sprintf("meta,loglik,%.17g", as.numeric(logLik(m))), sprintf("meta,deviance,%.17g", deviance(m)),
         sprintf("meta,aic,%.17g", AIC(m)), sprintf("meta,theta,%.17g", extra[["theta"]]), sprintf("meta,theta_se,%.17g", extra[["theta_se"]]),
         sprintf("coef,%s,%.17g,%.17g", rownames(s), s[, 1], s[, 2]))
writeLines(out, args[2])
