"""Map geometry: great circles and arrowheads on the sphere for the relations map."""

from __future__ import annotations

import math

# ---------------------------------------------------------------- figures


def _to_xyz(lat: float, lon: float) -> tuple[float, float, float]:
    la, lo = math.radians(lat), math.radians(lon)
    return (math.cos(la) * math.cos(lo), math.cos(la) * math.sin(lo), math.sin(la))


def great_circle_point(
    start: tuple[float, float], end: tuple[float, float], fraction: float
) -> tuple[float, float]:
    """(lat, lon) at ``fraction`` of the way along the great circle from start to end —
    the path plotly draws a geo line along."""
    p, q = _to_xyz(*start), _to_xyz(*end)
    dot = max(-1.0, min(1.0, sum(a * b for a, b in zip(p, q, strict=True))))
    omega = math.acos(dot)
    if omega < 1e-9:
        return start
    s = math.sin(omega)
    w1, w2 = math.sin((1 - fraction) * omega) / s, math.sin(fraction * omega) / s
    x, y, z = (w1 * a + w2 * b for a, b in zip(p, q, strict=True))
    return (math.degrees(math.atan2(z, math.hypot(x, y))), math.degrees(math.atan2(y, x)))


def bearing(start: tuple[float, float], end: tuple[float, float]) -> float:
    """Initial compass bearing (degrees clockwise from north) from start toward end."""
    la1, la2 = math.radians(start[0]), math.radians(end[0])
    dlon = math.radians(end[1] - start[1])
    x = math.sin(dlon) * math.cos(la2)
    y = math.cos(la1) * math.sin(la2) - math.sin(la1) * math.cos(la2) * math.cos(dlon)
    return (math.degrees(math.atan2(x, y)) + 360) % 360


def destination_point(
    start: tuple[float, float], heading: float, arc: float
) -> tuple[float, float]:
    """(lat, lon) reached from start going ``arc`` radians of great circle at ``heading``."""
    la1, lo1, th = math.radians(start[0]), math.radians(start[1]), math.radians(heading)
    la2 = math.asin(math.sin(la1) * math.cos(arc) + math.cos(la1) * math.sin(arc) * math.cos(th))
    lo2 = lo1 + math.atan2(
        math.sin(th) * math.sin(arc) * math.cos(la1),
        math.cos(arc) - math.sin(la1) * math.sin(la2),
    )
    return (math.degrees(la2), (math.degrees(lo2) + 540) % 360 - 180)


def arrowhead(
    src: tuple[float, float], dst: tuple[float, float], at: float = 0.85, max_deg: float = 6.0
) -> list[tuple[float, float]]:
    """A closed triangle (lat, lon) on the src->dst great circle whose tip, at fraction
        ``at``, points at dst: [wing, tip, other wing, wing]. At most ``max_deg`` degrees long (a
    map framed on a region passes a share of its width).

        Drawn as a filled geo polygon rather than a rotated marker symbol: plotly.js 3 turns
        north-referenced markers correctly only on a geo subplot's first trace (its plot loop
        sets ``_geo`` on ``e[0][0].trace`` only; the others fall back to 90 degrees, measured
        in chromium), so marker arrows behind a choropleth all point east.
    """
    p, q = _to_xyz(*src), _to_xyz(*dst)
    omega = math.acos(max(-1.0, min(1.0, sum(a * b for a, b in zip(p, q, strict=True)))))
    if omega < 1e-9:
        return [src]
    length = min(0.14 * omega, math.radians(max_deg))
    tip = great_circle_point(src, dst, at)
    base = great_circle_point(src, dst, at - length / omega)
    heading = bearing(base, tip)
    wing1 = destination_point(base, heading - 90, 0.55 * length)
    wing2 = destination_point(base, heading + 90, 0.55 * length)
    return [wing1, tip, wing2, wing1]


def fit_view(
    points: list[tuple[float, float]],
    pad: float = 8.0,
    min_span: float = 40.0,
    aspect: float | None = None,
) -> dict | None:
    """The geo view settings (``fig.update_geos(**view)``) that frame ``points`` (lat, lon):
    the narrowest band of longitudes holding them all, crossing the antimeridian when that
    is narrower (the United States and Korea are framed over the Pacific), rotated to its
    middle, padded by ``pad`` degrees and never narrower than ``min_span``. With ``aspect``
    (the map's height / width) the shorter side is widened to fill the frame. None without
    points."""
    if not points:
        return None
    lons = sorted(((lon + 180) % 360) - 180 for _, lon in points)
    lats = [lat for lat, _ in points]
    # The largest gap between neighbouring longitudes (the wrap-around one too) is what
    # the view leaves out.
    gaps = [(b - a, i) for i, (a, b) in enumerate(zip(lons, lons[1:], strict=False))]
    gaps.append((lons[0] + 360 - lons[-1], len(lons) - 1))
    gap, at = max(gaps)
    west = lons[(at + 1) % len(lons)]
    span = 360 - gap
    centre = west + span / 2
    half = min(max(span, min_span) / 2 + pad, 180)
    lat_lo, lat_hi = min(lats), max(lats)
    lat_mid = (lat_lo + lat_hi) / 2
    lat_half = max((lat_hi - lat_lo) / 2, min_span / 4) + pad
    if aspect:  # degrees of latitude show about as tall as those of longitude are wide
        lat_half = max(lat_half, min(half * aspect, 90))
        half = min(max(half, lat_half / aspect), 180)
    if lat_mid + lat_half > 90:  # the frame slides instead of being cut at the pole
        lat_mid = 90 - lat_half
    if lat_mid - lat_half < -90:
        lat_mid = -90 + lat_half
    # The range runs east from the band's west edge, past 180 when it crosses the
    # antimeridian (plotly draws [120, 270] over the Pacific); the rotation is its middle.
    return {
        "projection_rotation_lon": ((centre + 180) % 360) - 180,
        "center": {"lon": centre, "lat": lat_mid},
        "lonaxis_range": [centre - half, centre + half],
        "lataxis_range": [max(lat_mid - lat_half, -90), min(lat_mid + lat_half, 90)],
    }
