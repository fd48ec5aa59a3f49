# Re-rating a quote by hand in R (bench/README.md "Re-rating by hand in R").
#
# Reads tests/fixtures/rerating/<name>.worksheet.json (written by bench/rerate/export.ts) and
# recomputes the premium from the worksheet's stored INPUTS alone (`worksheet.inputs`: request,
# catalog rows, experience, credibility tables, rating plan, model snapshots), following
# docs/actuarial-method.md §§2, 4, 5, 6, 8 and the build-up stated on `buildPremium`
# (models/premium/premium-build-up.ts). Written from the method, not from the TypeScript code.
# Writes tests/fixtures/rerating/<name>.r.json with R's figures and the R / package versions.
#
# One thing is taken from the worksheet's computed sections: WHICH underwriting rules fired
# (`worksheet.rules.fired`, one entry per rule and line, with its event). Re-implementing the
# rules engine (json-rules-engine conditions over the fact catalog) in R is out of scope; each
# fired rule's factor and coverage are read from its event in the stored rule-set body
# (`inputs.ruleset.body`), not from the worksheet's per-line loading factors.
#
# Steps, per fleet line i and requested coverage c:
#  * rating factor levels: scenario area / human proximity from the stored scenario class,
#    form factor from the stored robot model, autonomy from the request, leading-indicator bands
#    from the organization's stored experience in the class (base level without telemetry);
#    rate per hour = exp(intercept + sum of the estimates of the line's non-base levels)
#    (rate 0 when the model has no estimate for a level: the quote is referred);
#  * credibility adjustment (plan's experience_credibility): Buhlmann-Straub by actuar::cm
#    (unbiased estimators) on the stored monthly rates / hours of the class, adjustment =
#    credibility premium of the quoted organization / collective (credibility-weighted) mean;
#    1 without own history, with fewer than two organizations, or when no organization has two
#    months (the within variance is not estimable);
#  * expected claims = units x hours per unit x rate x adjustment, times the product of the
#    fired load / discount factors for that line and coverage;
#  * payment per loss Y = min((X - d)+, u) with u capped at the robot's replacement value for
#    robot damage; E[Y] = E[X ^ (d + u)] - E[X ^ d] by actuar's lev functions;
#  * aggregate: each Y discretised by actuar::discretize(method = "unbiased") on one fine lattice
#    (step h chosen here, see `choose_lattice`), each line compounded with its coverage's count
#    model (NB2 with the frequency model's theta, or Poisson) by FFT (stats::fft, the pgf applied
#    to the transform of Y), lines of a coverage multiplied (independent), S_c inverted; a
#    coverage aggregate limit L_c caps S_c at L_c (on the lattice: all mass at and above L_c put
#    at L_c, exact when L_c is a lattice point); the policy's payments P = sum_c min(S_c, L_c)
#    by FFT convolution of the capped coverages. Cross-check: every line's compound distribution
#    is also computed by actuar::aggregateDist("recursive") (Panjer) on a coarser lattice and
#    compared with the FFT on that lattice.
#  * risk measures at 99.5 %: VaR = smallest lattice point with F >= 0.995, TVaR = expected
#    shortfall VaR + E[(P - VaR)+] / (1 - 0.995) (Acerbi & Tasche 2002: the mean of the worst 0.5 %,
#    an atom at VaR counted for its part in the tail; actuar's CTE E[P | P > VaR] would drop it);
#  * risk margin = cost_of_capital x min(TVaR(P) - E[P], sum_c SA_c), SA_c = TVaR - mean of
#    min(S_c, L_c) on its own; to coverages in proportion to SA_c, to lines by pure premium;
#  * pure premium of a line = expected claims x E[Y] x E[min(S_c, L_c)] / E[S_c];
#    technical = pure + risk margin; before tax = technical / (1 - expense - commission - profit);
#    tax = rate x before tax; minimum premium (policy gross) by scaling and largest remainder;
#    rounding to cents half away from zero per line, totals = sums of rounded lines.
#
# Usage (from anywhere): Rscript bench/r/rerate.R [name ...]
#   without names, every tests/fixtures/rerating/*.worksheet.json. RERATE_TARGET_POINTS (default
#   2^19) sets how many lattice steps cover the range (a convergence check: 2^18, 2^20).
# Needs R with actuar and jsonlite (Debian: r-base-core r-cran-actuar r-cran-jsonlite).

suppressMessages({
  library(actuar)
  library(jsonlite)
})

script_dir <- local({
  f <- sub("^--file=", "", grep("^--file=", commandArgs(FALSE), value = TRUE))
  if (length(f) == 1L) dirname(normalizePath(f)) else getwd()
})
repo <- normalizePath(file.path(script_dir, "..", ".."))
fixture_dir <- file.path(repo, "tests", "fixtures", "rerating")

LEVEL <- 0.995
# points of the fine lattice: the range is covered by at most this many steps (before padding)
TARGET_POINTS <- as.numeric(Sys.getenv("RERATE_TARGET_POINTS", 2^19))
# leading-indicator bands of docs/actuarial-method.md §2 (per 1,000 operating hours)
BANDS <- list(protective_stop_band = list(column = "org_protective_stops", cuts = c(10, 25, 50)),
              near_miss_band = list(column = "org_near_misses", cuts = c(1, 3, 6)))

`%||%` <- function(a, b) if (is.null(a)) b else a

band_label <- function(cuts, rate) {
  if (rate < cuts[1]) return(paste0("<", cuts[1]))
  for (i in seq_along(cuts)[-1]) if (rate < cuts[i]) return(paste0(cuts[i - 1], "-", cuts[i]))
  paste0(">=", cuts[length(cuts)])
}

## --- frequency: rate per operating hour from the GLM terms ---------------------------------

line_levels <- function(line, sc, rm, exp, model) {
  lv <- list()
  for (f in unlist(model$factors)) {
    lv[[f]] <- switch(f,
      scenario_area = sc$area,
      scenario_class = sc$code,
      human_proximity = sc$human_proximity,
      form_factor = rm$form_factor,
      autonomy_level = line$autonomy_level,
      protective_stop_band = , near_miss_band = {
        b <- BANDS[[f]]
        count <- if (is.null(exp)) NULL else exp[[b$column]]
        if (!is.null(exp) && exp$org_operating_hours > 0 && !is.null(count)) band_label(b$cuts, count * 1000 / exp$org_operating_hours)
        else model$base_levels[[f]]
      },
      stop("unknown rating factor ", f))
  }
  lv
}

rate_per_hour <- function(model, levels) {
  eta <- 0
  missing <- character(0)
  for (t in model$terms) if (is.null(t$factor)) eta <- eta + t$estimate
  for (f in names(levels)) {
    if (identical(model$base_levels[[f]], levels[[f]])) next
    hit <- Filter(function(t) identical(t$factor, f) && identical(t$level, levels[[f]]), model$terms)
    if (length(hit) == 0L) missing <- c(missing, paste0(f, "=", levels[[f]])) else eta <- eta + hit[[1]]$estimate
  }
  list(rate = if (length(missing)) 0 else exp(eta), missing = missing)
}

## --- credibility: Buhlmann-Straub with actuar::cm ------------------------------------------

credibility <- function(ci) {
  none <- function(note) list(adjustment = 1, note = note)
  if (is.null(ci) || ci$row < 0) return(none("no own experience in the class"))
  R <- do.call(rbind, lapply(ci$ratios, function(r) vapply(r, function(x) if (is.null(x)) NA_real_ else as.numeric(x), 0)))
  W <- do.call(rbind, lapply(ci$weights, function(r) vapply(r, function(x) if (is.null(x)) NA_real_ else as.numeric(x), 0)))
  if (is.null(dim(R))) { R <- matrix(R, 1); W <- matrix(W, 1) }
  if (nrow(R) < 2L) return(none("fewer than 2 organizations in the class"))
  na <- is.na(R) | is.na(W) | W <= 0
  R[na] <- NA
  W[na] <- NA
  own <- ci$row + 1L
  cells <- rowSums(!na)
  if (sum(cells > 0) < 2L || sum(cells) - sum(cells > 0) < 1L || ncol(R) < 2L)
    return(none("too little experience in the class to estimate credibility"))
  m <- ncol(R)
  df <- data.frame(org = seq_len(nrow(R)), R, W)
  names(df) <- c("org", paste0("r", seq_len(m)), paste0("w", seq_len(m)))
  fit <- eval(bquote(cm(~org, df, ratios = .(as.name("r1")):.(as.name(paste0("r", m))),
                        weights = .(as.name("w1")):.(as.name(paste0("w", m))))))
  premium <- predict(fit)[own]
  collective <- fit$means[[1]]
  a_s2 <- fit$unbiased
  adj <- if (collective > 0) premium / collective else 1
  if (!is.finite(adj) || adj <= 0) adj <- 1
  list(adjustment = adj, credibility_factor = fit$cred[own], own_rate_per_1000h = fit$means[[2]][own],
       class_rate_per_1000h = collective, credibility_rate_per_1000h = premium,
       organizations = nrow(R), between_variance = a_s2[1], within_variance = a_s2[2],
       k = if (a_s2[1] > 0) a_s2[2] / a_s2[1] else NA)
}

## --- severity and payment per loss -----------------------------------------------------------

severity_functions <- function(sev) {
  p <- sev$params
  switch(sev$distribution,
    lognormal = list(cdf = function(x) plnorm(x, p$meanlog, p$sdlog), lev = function(x, order = 1) levlnorm(x, p$meanlog, p$sdlog, order = order),
                     q = function(pr) qlnorm(pr, p$meanlog, p$sdlog)),
    gamma = list(cdf = function(x) pgamma(x, p$shape, p$rate), lev = function(x, order = 1) levgamma(x, p$shape, p$rate, order = order),
                 q = function(pr) qgamma(pr, p$shape, p$rate)),
    weibull = list(cdf = function(x) pweibull(x, p$shape, p$scale), lev = function(x, order = 1) levweibull(x, p$shape, p$scale, order = order),
                   q = function(pr) qweibull(pr, p$shape, p$scale)),
    # Lomax = Pareto II with cdf 1 - (s / (x + s))^alpha: actuar's (two-parameter) Pareto
    lomax = list(cdf = function(x) ppareto(x, p$shape, p$scale), lev = function(x, order = 1) levpareto(x, p$shape, p$scale, order = order),
                 q = function(pr) qpareto(pr, p$shape, p$scale)),
    exponential = list(cdf = function(x) pexp(x, p$rate), lev = function(x, order = 1) levexp(x, p$rate, order = order),
                       q = function(pr) qexp(pr, p$rate)),
    stop("severity distribution '", sev$distribution, "' is not re-rated by this script"))
}

# Y = min((X - d)+, u): its cdf and limited expected value E[Y ^ t] as functions of t >= 0
payment_functions <- function(sf, d, u) {
  levd <- if (d > 0) sf$lev(d) else 0
  list(
    # discretize(method = "unbiased") puts 1 - cdf(from) - (E[Y^h] - E[Y^0]) / h at from = 0: its
    # cdf(from) must be the mass strictly below 0, i.e. the left limit F_Y(0-) = 0, or the atom
    # P(Y = 0) = F_X(d) would be left out (the mean is kept either way, the mass is not)
    cdf = function(y) ifelse(y <= 0, 0, ifelse(y >= u, 1, sf$cdf(pmin(y, u) + d))),
    lev = function(y) { t <- pmin(pmax(y, 0), u); ifelse(t > 0, sf$lev(d + t) - levd, 0) },
    mean = if (is.finite(u)) sf$lev(d + u) - levd else sf$lev(Inf) - levd,
    # E[Y^2] = E[(X^(d+u))^2] - E[(X^d)^2] - 2 d E[Y]
    m2 = (if (is.finite(u)) sf$lev(d + u, 2) else sf$lev(Inf, 2)) - (if (d > 0) sf$lev(d, 2) else 0) -
      2 * d * ((if (is.finite(u)) sf$lev(d + u) else sf$lev(Inf)) - levd),
    # bound on the lattice: u, or the 1 - 1e-12 quantile without a finite limit
    ymax = if (is.finite(u)) u else sf$q(1 - 1e-12) - d)
}

## --- lattice, discretisation, compounding ----------------------------------------------------

nice_step <- function(x) {
  # the smallest of 1, 2, 2.5, 5 x 10^k that is >= x
  k <- floor(log10(x))
  for (m in c(1, 2, 2.5, 5, 10)) if (m * 10^k >= x * (1 - 1e-12)) return(m * 10^k)
}

discretise_payment <- function(pf, h, n) {
  top <- ceiling(pf$ymax / h - 1e-9) * h
  fy <- discretize(pf$cdf(x), method = "unbiased", lev = pf$lev(x), from = 0, to = top, step = h)
  fy[fy < 0 & fy > -1e-15] <- 0  # round-off
  if (length(fy) > n) stop("payment per loss longer than the lattice")
  fy
}

pgf <- function(z, freq, mu) {
  if (freq$dist == "poisson") exp(mu * (z - 1)) else (1 - (mu / freq$theta) * (z - 1))^(-freq$theta)
}

fft_length <- function(n) 2^ceiling(log2(n))

inverse <- function(z, n) {
  f <- Re(fft(z, inverse = TRUE)) / length(z)
  f[seq_len(n)]
}

cap_on_lattice <- function(f, k) {
  # masses of min(S, k h): f_0 .. f_(k-1), and everything from k on at k
  if (k + 1 >= length(f)) return(f)
  c(f[seq_len(k)], sum(f[(k + 1):length(f)]))
}

risk <- function(f, x, level = LEVEL) {
  F <- cumsum(f)
  i <- which(F >= level * (1 - 1e-15))[1]  # smallest lattice point with F >= level
  var <- x[i]
  pos <- x > var
  # expected shortfall (Acerbi & Tasche): VaR + E[(P - VaR)+] / (1 - level), an atom at VaR counted
  # for its part in the tail
  tvar <- var + sum((x[pos] - var) * f[pos]) / (1 - level)
  list(mean = sum(x * f), sd = sqrt(max(sum(x^2 * f) - sum(x * f)^2, 0)), var = var, tvar = tvar, mass = sum(f))
}

round_cents <- function(x) sign(x) * floor(abs(x) * 100 + 0.5 + 1e-7) / 100

## --- one quote --------------------------------------------------------------------------------

rerate <- function(name) {
  t0 <- proc.time()[["elapsed"]]
  w <- fromJSON(file.path(fixture_dir, paste0(name, ".worksheet.json")), simplifyVector = FALSE)
  ws <- w$worksheet
  inp <- ws$inputs
  req <- inp$request
  plan <- inp$plan$body
  L <- plan$loadings
  rules <- inp$ruleset$body$rules
  rule_event <- function(rname) Filter(function(r) identical(r$name, rname), rules)[[1]]$event
  fired <- ws$rules$fired

  lines <- list()
  for (li in seq_along(req$fleet)) {
    line <- req$fleet[[li]]
    sc <- inp$scenario_classes[[line$scenario_class]]
    rm <- inp$robot_models[[line$robot_model]]
    exp <- inp$experience[[line$scenario_class]]
    for (cov in req$coverages) {
      c <- cov$coverage
      models <- inp$models[[c]]
      fm <- models$frequency
      lv <- line_levels(line, sc, rm, exp, fm)
      r <- rate_per_hour(fm, lv)
      cred <- if (isTRUE(plan$experience_credibility)) credibility(inp$credibility[[c]][[line$scenario_class]])
              else list(adjustment = 1, note = "experience credibility off in the plan")
      # rule loadings: fired load / discount events of this line (or of the request) on this coverage or on all
      loads <- list()
      for (f in fired) {
        ev <- rule_event(f$rule)
        if (!(ev$type %in% c("load", "discount"))) next
        if (!is.null(f$line_index) && f$line_index != li - 1) next
        if (!is.null(ev$params$coverage) && ev$params$coverage != c) next
        loads[[length(loads) + 1]] <- list(rule = f$rule, factor = ev$params$factor)
      }
      loading <- prod(vapply(loads, function(x) x$factor, 0))
      u <- cov$per_occurrence_limit
      if (c == "robot_damage") u <- min(u, rm$replacement_value)
      d <- cov$deductible
      sf <- severity_functions(models$severity)
      pf <- payment_functions(sf, d, u)
      hours <- line$units * line$operating_hours_per_unit
      claims <- hours * r$rate * cred$adjustment
      freq <- if (identical(fm$family, "negative_binomial") && !is.null(fm$theta) && fm$theta > 0)
        list(dist = "negative-binomial", theta = fm$theta) else list(dist = "poisson")
      lines[[length(lines) + 1]] <- list(
        line = li, coverage = c, levels = lv, missing_levels = r$missing, rate_per_hour = r$rate,
        credibility = cred, rule_loadings = loads, loading_factor = loading,
        deductible = d, per_occurrence_limit = u, severity = models$severity$distribution,
        exposure_hours = hours, expected_claims = claims, loaded_expected_claims = claims * loading,
        expected_payment_per_loss = pf$mean, pure0 = claims * loading * pf$mean,
        freq = freq, pf = pf)
    }
  }
  codes <- unique(vapply(lines, function(l) l$coverage, ""))
  agg_limit <- function(c) {
    cv <- Filter(function(x) x$coverage == c, req$coverages)[[1]]
    if (is.null(cv$aggregate_limit) || cv$aggregate_limit <= 0) Inf else cv$aggregate_limit
  }

  ## moments and lattice
  mom <- vapply(lines, function(l) {
    mu <- l$loaded_expected_claims
    ey <- l$pf$mean
    varN <- if (l$freq$dist == "poisson") mu else mu + mu^2 / l$freq$theta
    c(mean = mu * ey, var = mu * (l$pf$m2 - ey^2) + varN * ey^2)
  }, c(mean = 0, var = 0))
  ES <- sum(mom["mean", ])
  sdS <- sqrt(sum(mom["var", ]))
  B <- max(ES + 30 * sdS, max(vapply(lines, function(l) l$pf$ymax, 0)))
  h <- nice_step(B / TARGET_POINTS)
  repeat {
    n <- ceiling(B / h) + 1
    M <- fft_length(2 * n)
    # transform of each coverage's S_c: product over its lines of pgf(transform of Y)
    phi_cache <- list()
    TS <- list()
    for (c in codes) TS[[c]] <- complex(real = rep(1, M), imaginary = 0)
    for (l in lines) {
      key <- paste(l$coverage, l$deductible, l$per_occurrence_limit)
      if (is.null(phi_cache[[key]])) {
        fy <- discretise_payment(l$pf, h, n)
        phi_cache[[key]] <- fft(c(fy, rep(0, M - length(fy))))
      }
      TS[[l$coverage]] <- TS[[l$coverage]] * pgf(phi_cache[[key]], l$freq, l$loaded_expected_claims)
    }
    full <- Re(fft(Reduce(`*`, TS), inverse = TRUE)) / M
    beyond <- sum(full[(n + 1):M])
    if (beyond <= 1e-12) break
    B <- 2 * B
  }
  x <- (seq_len(n) - 1) * h
  S <- full[seq_len(n)]
  S[S < 0] <- 0
  Sstats <- risk(S, x)

  ## coverages: S_c, cap at L_c, stand-alone risk
  covs <- list()
  capped <- list()
  for (c in codes) {
    f <- inverse(TS[[c]], n)
    f[f < 0] <- 0
    mean_c <- sum(x * f)
    Lc <- agg_limit(c)
    if (is.finite(Lc) && Lc < x[n]) {
      k <- ceiling(Lc / h - 1e-9)
      limited <- sum(pmin(x, Lc) * f)
      fc <- cap_on_lattice(f, k)
      xc <- (seq_along(fc) - 1) * h
      xc[k + 1] <- Lc  # the cap itself (a lattice point when L_c / h is an integer)
    } else {
      k <- NA; limited <- mean_c; fc <- f; xc <- x
    }
    rc <- risk(fc, xc)
    capped[[c]] <- fc
    covs[[c]] <- list(mean = mean_c, limited_mean = limited, aggregate_limit = if (is.finite(Lc)) Lc else NULL,
                      cap_on_lattice = is.finite(Lc) && abs(Lc / h - round(Lc / h)) < 1e-9,
                      p_exceed_limit = if (is.finite(Lc)) sum(f[x > Lc]) else 0,
                      factor = if (mean_c > 0) limited / mean_c else 1,
                      value_at_risk = rc$var, tail_value_at_risk = rc$tvar, stand_alone_risk = max(0, rc$tvar - rc$mean))
  }
  ## policy payments P = sum_c min(S_c, L_c)
  TP <- Reduce(`*`, lapply(capped, function(fc) fft(c(fc, rep(0, M - length(fc))))))
  P <- inverse(TP, n)
  P[P < 0] <- 0
  Pstats <- risk(P, x)

  ## Panjer cross-check of the FFT compounding, line by line, on a coarser lattice
  hc <- nice_step(B / 2^13)
  check <- max(vapply(lines, function(l) {
    nc <- ceiling(B / hc) + 1
    fy <- discretise_payment(l$pf, hc, nc)
    mu <- l$loaded_expected_claims
    # the recursion is stopped at the lattice end on purpose (maxit): no warning for that
    Fs <- suppressWarnings(if (l$freq$dist == "poisson")
      aggregateDist("recursive", model.freq = "poisson", model.sev = fy, lambda = mu, x.scale = hc, tol = 1e-300, maxit = nc - 1)
    else aggregateDist("recursive", model.freq = "negative binomial", model.sev = fy, size = l$freq$theta,
                       prob = l$freq$theta / (l$freq$theta + mu), x.scale = hc, tol = 1e-300, maxit = nc - 1))
    fs <- get("fs", envir = environment(Fs))
    Mc <- fft_length(2 * nc)
    ff <- inverse(pgf(fft(c(fy, rep(0, Mc - length(fy)))), l$freq, mu), length(fs))
    max(abs(ff - fs))
  }, 0))

  ## premium build-up
  SA <- vapply(codes, function(c) covs[[c]]$stand_alone_risk, 0)
  rm_total <- L$cost_of_capital * min(max(0, Pstats$tvar - Pstats$mean), sum(SA))
  variable <- L$expense + L$commission + L$profit
  pure <- vapply(lines, function(l) l$pure0 * covs[[l$coverage]]$factor, 0)
  cov_of <- vapply(lines, function(l) l$coverage, "")
  share <- vapply(seq_along(lines), function(i) {
    c <- cov_of[i]
    sc <- if (sum(SA) > 0) SA[[c]] / sum(SA) else 1 / length(codes)
    pc <- sum(pure[cov_of == c])
    sc * (if (pc > 0) pure[i] / pc else 1 / sum(cov_of == c))
  }, 0)
  risk_margin <- rm_total * share
  technical <- pure + risk_margin
  pre <- technical / (1 - variable)
  tax <- L$tax * pre
  gross <- pre + tax
  minimum <- L$minimum_premium %||% 0
  min_applied <- sum(gross) < minimum
  if (min_applied) {
    k <- minimum / sum(gross)
    pre <- pre * k; tax <- tax * k; gross <- gross * k
    cents <- floor(gross * 100)
    extra <- round(minimum * 100) - sum(cents)
    o <- order(gross * 100 - cents, decreasing = TRUE)
    cents[o[seq_len(extra)]] <- cents[o[seq_len(extra)]] + 1
    gross_r <- cents / 100
  } else gross_r <- round_cents(gross)
  pre_r <- round_cents(pre)

  line_out <- lapply(seq_along(lines), function(i) {
    l <- lines[[i]]
    list(line = l$line, coverage = l$coverage, rating_levels = l$levels, missing_levels = l$missing_levels,
         rate_per_hour = l$rate_per_hour, rate_per_1000h = 1000 * l$rate_per_hour, credibility = l$credibility,
         rule_loadings = l$rule_loadings, loading_factor = l$loading_factor, deductible = l$deductible,
         per_occurrence_limit = l$per_occurrence_limit, severity = l$severity, claim_count_model = l$freq,
         exposure_hours = l$exposure_hours, expected_claims = l$expected_claims,
         loaded_expected_claims = l$loaded_expected_claims, expected_payment_per_loss = l$expected_payment_per_loss,
         pure_premium_before_aggregate_limit = l$pure0, aggregate_limit_factor = covs[[l$coverage]]$factor,
         pure_premium = pure[i], allocation_share = share[i], risk_margin = risk_margin[i], technical_premium = technical[i],
         premium_before_tax = pre[i], tax = tax[i], gross_premium = gross[i],
         rounded = list(premium_before_tax = pre_r[i], tax = round(gross_r[i] - pre_r[i], 2), gross_premium = gross_r[i]))
  })
  cov_out <- lapply(codes, function(c) {
    i <- cov_of == c
    c(covs[[c]], list(pure_premium = sum(pure[i]), risk_margin = sum(risk_margin[i]), technical_premium = sum(technical[i]),
                      premium_before_tax = sum(pre[i]), tax = sum(tax[i]), gross_premium = sum(gross[i]),
                      gross_premium_rounded = round(sum(gross_r[i]), 2)))
  })
  names(cov_out) <- codes
  list(
    name = name,
    worksheet = paste0("tests/fixtures/rerating/", name, ".worksheet.json"),
    quote_ref = ws$ref,
    pricing_engine_of_worksheet = ws$pricing_engine,
    versions = list(R = R.version.string, actuar = as.character(packageVersion("actuar")),
                    jsonlite = as.character(packageVersion("jsonlite")), stats = as.character(packageVersion("stats"))),
    method = paste("Independent re-rating from worksheet.inputs (docs/actuarial-method.md); fired rules taken from",
                   "worksheet.rules.fired, their factors from inputs.ruleset.body; lev functions of actuar;",
                   "actuar::cm (Buhlmann-Straub, unbiased); discretize(method = 'unbiased') on a step-h lattice,",
                   "FFT compounding (stats::fft), caps at L_c, expected shortfall at 99.5 %"),
    lattice = list(step = h, points = n, fft_length = M, range = (n - 1) * h, mass_beyond_range = beyond,
                   fft_vs_panjer_max_abs_diff = check, panjer_check_step = hc),
    lines = line_out,
    coverages = cov_out,
    aggregate = list(risk_level = LEVEL, mean = Sstats$mean, sd = Sstats$sd, mean_exact = ES, sd_exact = sdS,
                     risk_mean = Pstats$mean, value_at_risk = Pstats$var, tail_value_at_risk = Pstats$tvar,
                     stand_alone_total = sum(SA), risk_margin_total = rm_total,
                     risk_margin_bounded_by_stand_alone = (Pstats$tvar - Pstats$mean) > sum(SA)),
    total = list(pure_premium = sum(pure), risk_margin = sum(risk_margin), technical_premium = sum(technical),
                 premium_before_tax = sum(pre), tax = sum(tax), gross_premium = sum(gross),
                 gross_premium_rounded = round(sum(gross_r), 2), minimum_premium_applied = min_applied),
    # not written to the file (no run-dependent values there): printed only
    seconds = round(proc.time()[["elapsed"]] - t0, 1)
  )
}

names_in <- commandArgs(TRUE)
if (length(names_in) == 0L) names_in <- sub("\\.worksheet\\.json$", "", list.files(fixture_dir, pattern = "\\.worksheet\\.json$"))
for (nm in names_in) {
  out <- rerate(nm)
  write(toJSON(out[names(out) != "seconds"], auto_unbox = TRUE, digits = NA, pretty = TRUE, null = "null", na = "null"),
        file.path(fixture_dir, paste0(nm, ".r.json")))
  cat(sprintf("%s: step %g, %d points, gross %.2f (rounded %.2f), TVaR99.5 %.2f, risk margin %.2f, FFT vs Panjer %.1e, %.1f s\n",
              nm, out$lattice$step, out$lattice$points, out$total$gross_premium, out$total$gross_premium_rounded,
              out$aggregate$tail_value_at_risk, out$aggregate$risk_margin_total, out$lattice$fft_vs_panjer_max_abs_diff, out$seconds))
}
