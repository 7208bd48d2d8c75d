// Hand-written-looking digits 0-9 and a scribble, as strokes in unit coordinates of the canvas.
//
// A digit is a list of strokes; a stroke is a list of [x, y] points, (0, 0) = top-left and
// (1, 1) = bottom-right of the drawing area, y downwards. The digits are about 70% of the
// canvas tall, drawn the way people write them (a 7 as a bar and a slant, a 4 as two strokes).

const TAU = 2 * Math.PI;

// Points along a parametric curve, t from t0 to t1 in `n` steps.
function curve(f, t0, t1, n) {
  const points = [];
  for (let i = 0; i <= n; i++) points.push(f(t0 + ((t1 - t0) * i) / n));
  return points;
}

// Points on the ellipse centred (cx, cy) with radii (rx, ry); angle 0 = right, growing
// clockwise on screen (y is down); from angle a0 to a1 (radians).
function arc(cx, cy, rx, ry, a0, a1, n = 24) {
  return curve((a) => [cx + rx * Math.cos(a), cy + ry * Math.sin(a)], a0, a1, n);
}

// Straight line from a to b in `n` steps.
function line(a, b, n = 8) {
  return curve((t) => [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t], 0, 1, n);
}

// One stroke made of several pieces, each starting where the previous one ended.
function joined(...pieces) {
  return pieces.flatMap((piece, i) => (i === 0 ? piece : piece.slice(1)));
}

export const DIGITS = {
  // An oval started at the top, drawn anticlockwise, its end slightly past the start.
  0: [arc(0.5, 0.5, 0.2, 0.34, -Math.PI / 2, -Math.PI / 2 - TAU - 0.25, 40)],
  // A single down stroke leaning a little to the right.
  1: [line([0.47, 0.16], [0.53, 0.85], 12)],
  // A hook, a diagonal down to the left, a base line.
  2: [joined(
    arc(0.5, 0.32, 0.18, 0.15, Math.PI * 1.05, Math.PI * 2.2, 16),
    line([0.5 + 0.18 * Math.cos(Math.PI * 2.2), 0.32 + 0.15 * Math.sin(Math.PI * 2.2)], [0.3, 0.84], 10),
    line([0.3, 0.84], [0.72, 0.83], 8))],
  // Two bumps to the right that meet in the middle.
  3: [joined(
    arc(0.49, 0.32, 0.18, 0.15, Math.PI * 1.1, Math.PI * 2.5, 18),
    arc(0.49, 0.66, 0.2, 0.18, -Math.PI / 2, Math.PI * 0.85, 18))],
  // Down-left slant and the cross bar in one stroke, then the upright.
  4: [
    joined(line([0.56, 0.15], [0.28, 0.6], 10), line([0.28, 0.6], [0.76, 0.6], 8)),
    line([0.63, 0.36], [0.63, 0.86], 10),
  ],
  // Upright and belly in one stroke, the top bar added afterwards.
  5: [
    joined(
      line([0.36, 0.18], [0.33, 0.47], 6),
      arc(0.5, 0.63, 0.19, 0.19, -Math.PI * 0.75, Math.PI * 0.78, 24)),
    line([0.36, 0.18], [0.7, 0.17], 8),
  ],
  // A long curve down from the top right, ending in a loop at the bottom.
  6: [joined(
    curve((t) => [0.64 - 0.3 * Math.sin(t * Math.PI / 2), 0.16 + 0.5 * t], 0, 1, 14),
    arc(0.5, 0.68, 0.16, 0.16, Math.PI, Math.PI + TAU * 0.95, 28))],
  // The top bar, then the slant down from its right end.
  7: [
    line([0.28, 0.18], [0.72, 0.18], 8),
    line([0.72, 0.18], [0.45, 0.86], 12),
  ],
  // A figure of eight in one stroke, starting at the top, the top loop a little smaller.
  8: [curve((t) => {
    const y = 0.5 - 0.34 * Math.cos(t);
    const width = y < 0.5 ? 0.16 : 0.2;
    return [0.5 + width * Math.sin(2 * t), y];
  }, 0, TAU + 0.15, 48)],
  // A loop at the top, closed on its right, then the tail straight down.
  9: [joined(
    arc(0.49, 0.33, 0.16, 0.16, 0, -TAU, 28),
    line([0.65, 0.33], [0.62, 0.86], 10))],
};

// Not digits: shapes and scribbles people draw that are clearly no digit.
export const NOT_DIGITS = {
  zigzag: [[[0.15, 0.2], [0.85, 0.3], [0.15, 0.4], [0.85, 0.5], [0.15, 0.6], [0.85, 0.7], [0.15, 0.8]]],
  spiral: [curve((t) => [0.5 + 0.38 * t * Math.cos(3 * TAU * t), 0.5 + 0.38 * t * Math.sin(3 * TAU * t)], 0.05, 1, 90)],
  hash: [
    line([0.4, 0.15], [0.4, 0.85]), line([0.62, 0.15], [0.62, 0.85]),
    line([0.15, 0.4], [0.85, 0.4]), line([0.15, 0.62], [0.85, 0.62]),
  ],
  asterisk: [
    line([0.5, 0.15], [0.5, 0.85]), line([0.2, 0.3], [0.8, 0.7]),
    line([0.2, 0.7], [0.8, 0.3]), line([0.15, 0.5], [0.85, 0.5]),
  ],
};

// Styles MNIST lacks that people draw, each read right by the model (issue: real handwriting).
export const PEOPLE_DIGITS = {
  // A 1 with a long flag and no foot.
  'flagged 1': [joined(line([0.36, 0.32], [0.55, 0.15], 8), line([0.55, 0.15], [0.55, 0.85], 14))],
  // A 7 with a bar across its slant.
  'crossed 7': [
    joined(line([0.3, 0.18], [0.72, 0.18], 8), line([0.72, 0.18], [0.47, 0.86], 12)),
    line([0.45, 0.5], [0.72, 0.5], 8),
  ],
  // A 4 with an open top: a short upright, the bar, then the long upright.
  'open 4': [
    joined(line([0.32, 0.16], [0.3, 0.55], 8), line([0.3, 0.55], [0.74, 0.55], 8)),
    line([0.62, 0.16], [0.62, 0.86], 12),
  ],
  // A 9 whose tail hooks back to the left at the bottom.
  'hooked 9': [joined(
    arc(0.5, 0.3, 0.15, 0.14, 0, -TAU, 28),
    line([0.65, 0.3], [0.62, 0.72], 8),
    arc(0.48, 0.72, 0.14, 0.12, 0, Math.PI * 0.85, 10))],
};

// Doodles people draw to try the app: each must be "not a digit".
export const DOODLES = {
  // A house as five lines: the walls and floor, then the roof.
  house: [
    line([0.25, 0.45], [0.25, 0.85]), line([0.25, 0.85], [0.75, 0.85]), line([0.75, 0.85], [0.75, 0.45]),
    line([0.22, 0.47], [0.5, 0.15]), line([0.5, 0.15], [0.78, 0.47]),
  ],
  // A heart in one stroke: two round lobes meeting in a point at the bottom.
  heart: [joined(
    arc(0.37, 0.35, 0.13, 0.13, Math.PI * 0.85, Math.PI * 2, 14),
    arc(0.63, 0.35, 0.13, 0.13, Math.PI, Math.PI * 2.15, 14),
    line([0.63 + 0.13 * Math.cos(Math.PI * 2.15), 0.35 + 0.13 * Math.sin(Math.PI * 2.15)], [0.5, 0.82], 10),
    line([0.5, 0.82], [0.37 + 0.13 * Math.cos(Math.PI * 0.85), 0.35 + 0.13 * Math.sin(Math.PI * 0.85)], 10))],
  // A smiley: the face, two eyes, a smile.
  smiley: [
    arc(0.5, 0.5, 0.33, 0.33, -Math.PI / 2, -Math.PI / 2 + TAU, 40),
    line([0.38, 0.38], [0.38, 0.44], 2), line([0.62, 0.38], [0.62, 0.44], 2),
    arc(0.5, 0.55, 0.18, 0.14, Math.PI * 0.15, Math.PI * 0.85, 12),
  ],
};

// The 3 of DIGITS drawn small (an eighth of the canvas tall) near the top-left corner, with the
// default brush: it must not become a blob.
export const SMALL_THREE = DIGITS[3].map((stroke) => stroke.map(([x, y]) => [0.06 + (x - 0.3) * 0.18, 0.06 + (y - 0.15) * 0.18]));

// Digits drawn in ways a person might and the shipped model may misread, each with what it is:
// the correction test (app-learn.test.mjs) teaches the app the first one it gets wrong.
export const ODD_DIGITS = {
  // A programmer's zero: an oval with a slash through it.
  'slashed 0': { label: 0, strokes: [
    arc(0.5, 0.5, 0.2, 0.34, -Math.PI / 2, -Math.PI / 2 - TAU - 0.2, 40), line([0.64, 0.2], [0.36, 0.8], 10)] },
  // An 8 as two separate rings, one on the other.
  'snowman 8': { label: 8, strokes: [
    arc(0.5, 0.3, 0.13, 0.13, -Math.PI / 2, -Math.PI / 2 + TAU, 28),
    arc(0.5, 0.67, 0.18, 0.18, -Math.PI / 2, -Math.PI / 2 + TAU, 32)] },
  // A 1 with a flag and a wide foot.
  'footed 1': { label: 1, strokes: [
    joined(line([0.36, 0.3], [0.52, 0.15], 6), line([0.52, 0.15], [0.52, 0.85], 14)),
    line([0.3, 0.85], [0.74, 0.85], 10)] },
  // A 3 with a flat top: a bar, a diagonal, then the lower bowl.
  'flat-top 3': { label: 3, strokes: [joined(
    line([0.3, 0.17], [0.68, 0.17], 8), line([0.68, 0.17], [0.46, 0.44], 8),
    arc(0.48, 0.64, 0.2, 0.2, -Math.PI / 2 - 0.1, Math.PI * 0.85, 28))] },
  // A very narrow 0.
  'thin 0': { label: 0, strokes: [arc(0.5, 0.5, 0.05, 0.35, -Math.PI / 2, -Math.PI / 2 - TAU - 0.2, 40)] },
};
