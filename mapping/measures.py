"""The measures of docs/identification.md as array functions: matrices in, arrays out.

A matrix ``E`` holds employment with territories as rows and activities as columns. ``numpy.nan`` marks
what a measure cannot say (a territory or an activity without employment, a year without data). No
function here loops over cells: every measure is a handful of whole-array operations, so that a table of
1,893 districts x 420 classes costs what reading it costs (bench/mapping.py measures it).
"""

import math
from dataclasses import dataclass

import numpy as np


def divide(numerator, denominator):
    """numerator / denominator where the denominator is positive; NaN elsewhere (arrays broadcast)."""
    numerator = np.asarray(numerator, dtype=float)
    denominator = np.asarray(denominator, dtype=float)
    out = np.full(np.broadcast_shapes(numerator.shape, denominator.shape), np.nan)
    np.divide(numerator, denominator, out=out, where=np.broadcast_to(denominator > 0, out.shape))
    return out


# --- Specialisation -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Specialisation:
    """Location quotients and the shares they are made of, for every territory x activity."""

    location_quotient: np.ndarray  # (e_rs / e_r) / (E_s / E)
    region_share: np.ndarray  # e_rs / e_r: how much of the territory's employment the activity is
    activity_share: np.ndarray  # e_rs / E_s: how much of the activity's employment the territory has


def specialisation(employment):
    """LQ_rs = (e_rs / e_r) / (E_s / E), with e_r the territory's total, E_s the activity's, E the whole.

    NaN where the territory or the activity has no employment at all.
    """
    employment = np.asarray(employment, dtype=float)
    territory_totals = employment.sum(axis=1)
    activity_totals = employment.sum(axis=0)
    total = employment.sum()
    region_share = divide(employment, territory_totals[:, None])
    national_share = divide(activity_totals, total)
    return Specialisation(
        location_quotient=divide(region_share, national_share[None, :]),
        region_share=region_share,
        activity_share=divide(employment, activity_totals[None, :]),
    )


def top_share(values, share, eligible):
    """True where a value is among the top ``share`` of the eligible territories of its column (and > 0).

    The top share of n territories is the ceil(share x n) largest values; ties with the last of them count.
    """
    values = np.asarray(values, dtype=float)
    eligible = np.asarray(eligible, dtype=bool)
    count = int(eligible.sum())
    if count == 0 or values.size == 0:
        return np.zeros(values.shape, dtype=bool)
    # The small tolerance keeps ceil(0.1 x 30) at 3 despite 0.1 x 30 = 3.0000000000000004 in binary.
    k = min(count, max(1, math.ceil(share * count - 1e-9)))
    ranked = np.where(eligible[:, None] & ~np.isnan(values), values, -np.inf)
    kth_largest = -np.partition(-ranked, k - 1, axis=0)[k - 1]
    return (ranked >= kth_largest[None, :]) & (ranked > 0)


@dataclass(frozen=True)
class Stars:
    size: np.ndarray
    specialisation: np.ndarray
    focus: np.ndarray

    @property
    def count(self):
        return self.size.astype(int) + self.specialisation.astype(int) + self.focus.astype(int)


def cluster_stars(employment, *, size_top_share, specialisation_lq, focus_top_share, measures=None):
    """The European Cluster Observatory's three stars for every territory x activity.

    Size: the territory's employment in the activity is among the top ``size_top_share`` of territories.
    Specialisation: the location quotient is at least ``specialisation_lq``.
    Focus: the activity's share of the territory's employment is among the top ``focus_top_share``.
    Territories without any employment take part in no ranking.
    """
    employment = np.asarray(employment, dtype=float)
    measures = measures or specialisation(employment)
    eligible = employment.sum(axis=1) > 0
    lq = measures.location_quotient
    return Stars(
        size=top_share(employment, size_top_share, eligible),
        specialisation=np.nan_to_num(lq, nan=-1.0) >= specialisation_lq,
        focus=top_share(measures.region_share, focus_top_share, eligible),
    )


# --- Change between two years -------------------------------------------------------------------------


@dataclass(frozen=True)
class ShiftShare:
    """delta e_rs = national share + industry mix + regional shift (NaN for territories lacking a year)."""

    change: np.ndarray
    growth: np.ndarray  # delta e_rs / e_rs(0); NaN where the activity had no employment there
    national_share: np.ndarray  # e_rs(0) x G
    industry_mix: np.ndarray  # e_rs(0) x (G_s - G)
    regional_shift: np.ndarray  # e_rs(0) x (g_rs - G_s) = delta e_rs - e_rs(0) x G_s


def shift_share(base, end, *, base_present=None, end_present=None):
    """Shift-share of employment between a base year and an end year (Dunn 1960).

    ``base_present`` and ``end_present`` say which territories have data in each year (all by default).
    A territory missing a year has NaN everywhere; the national rates G and G_s are computed over the
    territories present in both years, so that a missing territory does not look like lost jobs.
    Where e_rs(0) = 0 there is nothing to share out: national share and industry mix are 0 and the whole
    change is regional.
    """
    base = np.asarray(base, dtype=float)
    end = np.asarray(end, dtype=float)
    rows = base.shape[0]
    base_present = np.ones(rows, dtype=bool) if base_present is None else np.asarray(base_present, dtype=bool)
    end_present = np.ones(rows, dtype=bool) if end_present is None else np.asarray(end_present, dtype=bool)
    both = base_present & end_present
    national_rate = divide(end[both].sum(), base[both].sum()) - 1
    activity_rates = divide(end[both].sum(axis=0), base[both].sum(axis=0)) - 1
    change = end - base
    had = base > 0
    national = np.where(had, base * national_rate, 0.0)
    mix = np.where(had, base * (activity_rates[None, :] - national_rate), 0.0)
    regional = np.where(had, change - base * activity_rates[None, :], change)
    missing = ~both[:, None] | np.isnan(national_rate)
    return ShiftShare(
        change=np.where(missing, np.nan, change),
        growth=np.where(missing, np.nan, divide(change, base)),
        national_share=np.where(missing, np.nan, national),
        industry_mix=np.where(missing, np.nan, mix),
        regional_shift=np.where(missing, np.nan, regional),
    )


# --- Concentration of each activity -------------------------------------------------------------------


def herfindahl(employment):
    """H_s = sum_r (e_rs / E_s)^2: 1 when one territory has all of the activity, 1/n when n share it equally."""
    shares = divide(np.asarray(employment, dtype=float), np.asarray(employment, dtype=float).sum(axis=0)[None, :])
    return (shares**2).sum(axis=0)


def ellison_glaeser(employment, establishments=None):
    """gamma_s = (G_s - (1 - sumx_r^2) H_s) / ((1 - sumx_r^2)(1 - H_s)) (Ellison and Glaeser 1997).

    G_s = sum_r (s_rs - x_r)^2 with s_rs the territory's share of the activity and x_r its share of all
    employment. H_s, the Herfindahl of the activity's plants, is taken as 1/N_s from the number of
    establishments (plants of equal size); without establishments it is 0. NaN where the activity has no
    employment, there is a single territory, or a single plant.
    """
    employment = np.asarray(employment, dtype=float)
    total = employment.sum()
    territory_share = divide(employment.sum(axis=1), total)
    spread = 1 - np.nansum(territory_share**2)
    activity_share = divide(employment, employment.sum(axis=0)[None, :])
    raw = ((activity_share - territory_share[:, None]) ** 2).sum(axis=0)
    if establishments is None:
        plants = np.zeros(employment.shape[1])
    else:
        plants = np.nan_to_num(divide(1.0, np.asarray(establishments, dtype=float)), nan=0.0)
    return divide(raw - spread * plants, spread * (1 - plants))


# --- Prioritisation of registered clusters ------------------------------------------------------------


def normalise(values, lower_is_better):
    """Min-max normalisation of each column (criterion) to [0, 1]: (x - min) / (max - min).

    Columns where less is better are turned round: (max - x) / (max - min). A column whose values are all
    equal gives 1 to every cluster; a missing value counts as the worst (0). Returns the normalised
    matrix and which columns can be used (those with at least one value).
    """
    values = np.asarray(values, dtype=float)
    usable = ~np.all(np.isnan(values), axis=0) if values.shape[0] else np.zeros(values.shape[1], dtype=bool)
    safe = np.where(usable[None, :], values, 0.0)
    low = np.nanmin(np.where(np.isnan(safe), np.inf, safe), axis=0) if values.shape[0] else np.zeros(0)
    high = np.nanmax(np.where(np.isnan(safe), -np.inf, safe), axis=0) if values.shape[0] else np.zeros(0)
    span = high - low
    scaled = np.where(span[None, :] > 0, divide(safe - low[None, :], span[None, :]), 1.0)
    scaled = np.where(np.asarray(lower_is_better, dtype=bool)[None, :] & (span[None, :] > 0), 1 - scaled, scaled)
    scaled = np.where(np.isnan(values) | ~usable[None, :], 0.0, scaled)
    return scaled, usable


def weighted_scores(normalised, weights):
    """sum_c w_c n_c / sum_c w_c for one weight vector (C,) or for several at once (K, C) -> (K, n)."""
    weights = np.asarray(weights, dtype=float)
    return divide(normalised @ weights.T, weights.sum(axis=-1)).T


def competition_ranks(scores):
    """1 + the number of strictly better scores (ties share a rank: 1, 2, 2, 4), for each row of scores."""
    scores = np.round(np.nan_to_num(np.asarray(scores, dtype=float), nan=-np.inf), 9)
    return (scores[..., None, :] > scores[..., :, None]).sum(axis=-1) + 1


@dataclass(frozen=True)
class Ranking:
    scores: np.ndarray  # (n,)
    ranks: np.ndarray  # (n,)
    kept: np.ndarray  # (n,) scenarios in which the cluster keeps its rank
    scenarios: int  # each active weight moved down and up
    best_rank: np.ndarray  # (n,) over the scenarios
    worst_rank: np.ndarray

    @property
    def stability(self):
        return divide(self.kept, self.scenarios) if self.scenarios else np.ones_like(self.scores)


def rank_with_sensitivity(normalised, weights, step):
    """Scores, ranks, and how often each rank survives moving every active weight by -step and +step."""
    weights = np.asarray(weights, dtype=float)
    scores = weighted_scores(normalised, weights)
    ranks = competition_ranks(scores)
    active = np.flatnonzero(weights > 0)
    if len(active) == 0 or normalised.shape[0] == 0:
        return Ranking(scores, ranks, np.zeros_like(ranks), 0, ranks, ranks)
    scenarios = np.repeat(weights[None, :], 2 * len(active), axis=0)
    rows = np.arange(2 * len(active))
    scenarios[rows, np.repeat(active, 2)] *= np.tile([1 - step, 1 + step], len(active))
    moved = competition_ranks(weighted_scores(normalised, scenarios))
    return Ranking(
        scores=scores,
        ranks=ranks,
        kept=(moved == ranks[None, :]).sum(axis=0),
        scenarios=len(scenarios),
        best_rank=np.minimum(moved.min(axis=0), ranks),
        worst_rank=np.maximum(moved.max(axis=0), ranks),
    )


# --- A cluster's territory x activities ---------------------------------------------------------------


def grouped_location_quotients(employment, territory_masks, activity_masks):
    """The LQ of each cluster's territories (rows of ``territory_masks``) in its activities, as one block.

    LQ = (e_RS / e_R) / (E_S / E), summing over the cluster's territories R and activities S.
    """
    employment = np.asarray(employment, dtype=float)
    territory_masks = np.asarray(territory_masks, dtype=float)
    activity_masks = np.asarray(activity_masks, dtype=float)
    in_territories = territory_masks @ employment  # (C, S)
    own = (in_territories * activity_masks).sum(axis=1)
    territory_total = in_territories.sum(axis=1)
    national = activity_masks @ employment.sum(axis=0)
    return divide(divide(own, territory_total), divide(national, employment.sum()))


def specialised_territories(employment, activity_masks, threshold):
    """(C, R): True where territory r is specialised (LQ ≥ threshold) in cluster c's activities as a block."""
    employment = np.asarray(employment, dtype=float)
    activity_masks = np.asarray(activity_masks, dtype=float)
    in_activities = employment @ activity_masks.T  # (R, C)
    shares = divide(in_activities, employment.sum(axis=1)[:, None])
    national = divide(activity_masks @ employment.sum(axis=0), employment.sum())
    lq = divide(shares, national[None, :])
    return (np.nan_to_num(lq, nan=-1.0) >= threshold).T
