# Reference timing for bench/aggregate.bench.ts: compound Poisson-lognormal by actuar's Panjer
# recursion (aggregateDist("recursive"), C code) on an n-point lattice.
# Usage: Rscript aggregate.R <lambda> <meanlog> <sdlog> <step> <n> <out.bin>
# Writes the aggregate pmf (little-endian doubles) to out.bin and "key,value" timing lines to stdout.
suppressMessages(library(actuar))
a <- commandArgs(TRUE)
lambda <- as.numeric(a[1]); ml <- as.numeric(a[2]); sl <- as.numeric(a[3]); h <- as.numeric(a[4]); n <- as.integer(a[5])
td <- system.time(fx <- discretize(plnorm(x, ml, sl), method = "unbiased", from = 0, to = (n - 1) * h, step = h,
                                   lev = levlnorm(x, ml, sl)))[["elapsed"]]
# tol = 1e-15 and maxit = n - 1: the recursion runs over the whole lattice unless the cdf reaches 1 - 1e-15
tr <- system.time(Fs <- aggregateDist("recursive", model.freq = "poisson", model.sev = fx, lambda = lambda,
                                      x.scale = h, tol = 1e-15, maxit = n - 1))[["elapsed"]]
fs <- get("fs", envir = environment(Fs))
writeBin(as.double(fs), a[6], endian = "little")
cat(sprintf("discretize_s,%.6f\nrecursive_s,%.6f\nlength,%d\nmean,%.17g\nversion,%s\nr,%s\n", td, tr, length(fs), mean(Fs),
            as.character(packageVersion("actuar")), as.character(getRversion())))
