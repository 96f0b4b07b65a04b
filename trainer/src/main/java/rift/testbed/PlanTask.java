package rift.testbed;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import rift.util.Rng;

/**
 * Small planning problems with verifiable answers.
 * <ul>
 *   <li>{@code line}: start at s; each move adds a or subtracts b; answer the fewest moves reaching t
 *       (1-8 moves; solved exactly by enumerating the number of ups and downs).</li>
 *   <li>{@code grid} / {@code grid_wall}: a 3x3 to 5x5 grid, R/L/U/D moves (U increases y), 0 or 1-2
 *       blocked cells; answer a shortest move list such as {@code R R U}. The checker accepts any move
 *       list that stays on free cells, ends at the goal and has the shortest length (found by BFS).</li>
 * </ul>
 */
final class PlanTask implements Task {
    static final int MAX_LINE_MOVES = 8;
    private static final List<String> VARIANTS = List.of("line", "grid", "grid_wall");
    /** Move letters in the order the reference path prefers them, with their (dx, dy). */
    private static final String MOVES = "RULD";
    private static final int[] DX = {1, 0, -1, 0};
    private static final int[] DY = {0, 1, 0, -1};

    @Override
    public List<String> variants() {
        return VARIANTS;
    }

    @Override
    public Item generate(Rng rng, String id, int variant) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("variant", VARIANTS.get(variant));
        return variant == 0 ? line(rng, id, fields) : grid(rng, id, variant == 2, fields);
    }

    private Item line(Rng rng, String id, Map<String, Object> fields) {
        while (true) {
            int s = Words.between(rng, 0, 9);
            int up = Words.between(rng, 2, 5);
            int down = Words.between(rng, 1, 3);
            int t = Words.between(rng, 0, 30);
            int m = fewestLineMoves(s, up, down, t, MAX_LINE_MOVES);
            if (t == s || up == down || m < 1) continue;
            fields.put("start", s);
            fields.put("up", up);
            fields.put("down", down);
            fields.put("target", t);
            String prompt = "You start at " + s + ". Each move adds " + up + " or takes away " + down
                    + ". What is the fewest number of moves to reach " + t + "?\n" + Answers.BOXED_INSTRUCTION + "\n";
            return new Item(id, Family.PLAN, prompt, Integer.toString(m), null, fields);
        }
    }

    /** The fewest moves (each +up or -down) from s to t, searching up to max moves; -1 if more are needed. */
    static int fewestLineMoves(int s, int up, int down, int t, int max) {
        for (int m = 0; m <= max; m++)
            for (int u = 0; u <= m; u++)
                if (s + u * up - (m - u) * down == t) return m;
        return -1;
    }

    private Item grid(Rng rng, String id, boolean walls, Map<String, Object> fields) {
        while (true) {
            int w = Words.between(rng, 4, 6), h = Words.between(rng, 4, 6);
            int[] start = {rng.nextInt(w), rng.nextInt(h)};
            int[] goal = {rng.nextInt(w), rng.nextInt(h)};
            if (start[0] == goal[0] && start[1] == goal[1]) continue;
            List<int[]> blocked = new ArrayList<>();
            if (walls) {
                int count = Words.between(rng, 1, 2);
                // Prefer cells in the rectangle between start and goal, where a wall can lengthen the path.
                List<int[]> candidates = new ArrayList<>();
                for (int x = Math.min(start[0], goal[0]); x <= Math.max(start[0], goal[0]); x++)
                    for (int y = Math.min(start[1], goal[1]); y <= Math.max(start[1], goal[1]); y++)
                        if (!same(x, y, start) && !same(x, y, goal)) candidates.add(new int[] {x, y});
                if (candidates.size() < count) continue;
                Words.shuffle(rng, candidates);
                blocked.addAll(candidates.subList(0, count));
                blocked.sort((a, b) -> a[0] != b[0] ? Integer.compare(a[0], b[0]) : Integer.compare(a[1], b[1]));
            }
            int[][] dist = distances(w, h, goal, blocked);
            if (dist[start[0]][start[1]] < 0) continue;
            String path = referencePath(w, h, start, dist);
            fields.put("width", w);
            fields.put("height", h);
            fields.put("start", List.of(start[0], start[1]));
            fields.put("goal", List.of(goal[0], goal[1]));
            List<Object> blockedField = new ArrayList<>();
            for (int[] b : blocked) blockedField.add(List.of(b[0], b[1]));
            fields.put("blocked", List.copyOf(blockedField));
            StringBuilder p = new StringBuilder();
            p.append("On a grid from (0, 0) to (").append(w - 1).append(", ").append(h - 1).append("), go from ").append(cell(start))
                    .append(" to ").append(cell(goal)).append(". Moves: R, L, U, D; U adds 1 to y.");
            for (int[] b : blocked) p.append(" Cell ").append(cell(b)).append(" is blocked.");
            p.append(" List the moves of a shortest path, separated by spaces.\n").append(Answers.BOXED_INSTRUCTION).append("\n");
            return new Item(id, Family.PLAN, p.toString(), path, null, fields);
        }
    }

    private static boolean same(int x, int y, int[] c) {
        return x == c[0] && y == c[1];
    }

    private static String cell(int[] c) {
        return "(" + c[0] + ", " + c[1] + ")";
    }

    /** BFS distance of every cell to the goal; -1 for blocked or unreachable cells. */
    static int[][] distances(int w, int h, int[] goal, List<int[]> blocked) {
        int[][] dist = new int[w][h];
        for (int[] row : dist) java.util.Arrays.fill(row, -1);
        boolean[][] wall = new boolean[w][h];
        for (int[] b : blocked) wall[b[0]][b[1]] = true;
        ArrayDeque<int[]> queue = new ArrayDeque<>();
        dist[goal[0]][goal[1]] = 0;
        queue.add(goal);
        while (!queue.isEmpty()) {
            int[] c = queue.poll();
            for (int d = 0; d < 4; d++) {
                int x = c[0] + DX[d], y = c[1] + DY[d];
                if (x < 0 || y < 0 || x >= w || y >= h || wall[x][y] || dist[x][y] >= 0) continue;
                dist[x][y] = dist[c[0]][c[1]] + 1;
                queue.add(new int[] {x, y});
            }
        }
        return dist;
    }

    // From start, always take the first move in MOVES order that gets one step closer to the goal.
    private static String referencePath(int w, int h, int[] start, int[][] dist) {
        List<String> moves = new ArrayList<>();
        int x = start[0], y = start[1];
        while (dist[x][y] > 0) {
            for (int d = 0; d < 4; d++) {
                int nx = x + DX[d], ny = y + DY[d];
                if (nx >= 0 && ny >= 0 && nx < w && ny < h && dist[nx][ny] == dist[x][y] - 1) {
                    moves.add(String.valueOf(MOVES.charAt(d)));
                    x = nx;
                    y = ny;
                    break;
                }
            }
        }
        return String.join(" ", moves);
    }

    @Override
    public boolean check(Item item, String response) {
        if (item.variant().equals("line")) return Answers.integerAnswer(response, Long.parseLong(item.answer()));
        String answer = Answers.extract(response);
        if (answer == null) return false;
        int w = item.integer("width"), h = item.integer("height");
        int[] start = pair(item.list("start"));
        int[] goal = pair(item.list("goal"));
        List<int[]> blocked = new ArrayList<>();
        for (Object b : item.list("blocked")) blocked.add(pair((List<?>) b));
        int[][] dist = distances(w, h, goal, blocked);
        int x = start[0], y = start[1], steps = 0;
        for (char c : answer.toCharArray()) {
            if (c == ' ' || c == ',') continue;
            int d = MOVES.indexOf(c);
            if (d < 0) return false;
            x += DX[d];
            y += DY[d];
            steps++;
            if (x < 0 || y < 0 || x >= w || y >= h || dist[x][y] < 0) return false;
        }
        return x == goal[0] && y == goal[1] && steps == dist[start[0]][start[1]];
    }

    private static int[] pair(List<?> xy) {
        return new int[] {((Number) xy.get(0)).intValue(), ((Number) xy.get(1)).intValue()};
    }

    @Override
    public String directAnswer(Item item) {
        return Answers.boxed(item.answer());
    }
}
