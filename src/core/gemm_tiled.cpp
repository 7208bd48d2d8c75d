// Register-tiled matrix products on raw row-major buffers, compiled once per x86-64 level (cmake/gemm.cmake).
//
// Each output tile of kRows x kCols floats lives in registers while the whole k dimension streams
// through it: per k, kCols floats of the B side are loaded as vectors and each of the kRows A values
// is broadcast and multiplied into them (an outer product). Every element of C is one sum over k in
// order, so the result depends on neither the tiling nor the thread count.
//
// A and B are read where they lie when their layout already serves the tile (A's rows or A^T's rows
// as broadcasts, B's rows as vectors), so a b and a^T b copy nothing but the panel at B's right edge
// when it ends inside a vector; a b^T transposes one panel of kCols rows of B at a time. The buffers
// are per thread and keep their size, so training allocates nothing per batch.
//
// This file is compiled once per instruction set, so it instantiates no template and calls no
// inline function from a header that other files also use: the linker keeps one copy of such a
// function for the whole program, and an AVX-512 copy would crash a CPU without AVX-512. Hence C
// arrays, memcpy and operator new rather than std::vector and std::copy (the test kernel_symbols
// checks the objects).
#include <cstddef>
#include <cstring>
#include <new>
#include <utility>

#include "core/gemm_kernel.h"

namespace fcnet {

namespace {

using Index = std::ptrdiff_t;

Index smaller(Index a, Index b) { return a < b ? a : b; }
Index larger(Index a, Index b) { return a < b ? b : a; }

// The vector width and tile shape of this build: accumulators kRows x kCols take 24 of AVX-512's 32
// registers, 12 of AVX2's or SSE2's 16, leaving room for the B vectors and the broadcast.
#if defined(__AVX512F__)
constexpr int kLanes = 16, kRows = 12, kVectors = 2;
#elif defined(__AVX__)
constexpr int kLanes = 8, kRows = 6, kVectors = 2;
#else
constexpr int kLanes = 4, kRows = 6, kVectors = 2;
#endif
constexpr int kCols = kLanes * kVectors;
// Rows of C per block: the block's rows of A (192 x k) stay in the L2 cache while every panel of B
// streams past them; a training batch's rows on one thread are one block, so a b^T transposes each
// panel of B once.
constexpr Index kBlockRows = 192;
static_assert(kBlockRows % kRows == 0, "blocks of whole tiles");

typedef float Vector __attribute__((vector_size(kLanes * sizeof(float))));

inline Vector load(const float* p) {
    Vector v;
    std::memcpy(&v, p, sizeof v);
    return v;
}

inline void store(float* p, Vector v) { std::memcpy(p, &v, sizeof v); }

// c (Rows x Vectors * kLanes, row stride ldc) = the sum over k of A's column k (Rows values, element
// (r, k) at a[r * a_row_step + k * a_k_step]) times B's row k (the floats at b + k * ldb). Every
// shape up to kRows x kCols has its own copy, so the edges of C cost no more than their size.
template <int Rows, int Vectors>
void tile(Index k, const float* a, Index a_row_step, Index a_k_step, const float* b, Index ldb, float* c, Index ldc) {
    Vector sum[Rows][Vectors] = {};
    for (Index i = 0; i < k; ++i, a += a_k_step, b += ldb) {
        Vector row[Vectors];
#pragma GCC unroll 8
        for (int v = 0; v < Vectors; ++v) row[v] = load(b + v * kLanes);
#pragma GCC unroll 16
        for (int r = 0; r < Rows; ++r) {
            const float value = a[r * a_row_step];
#pragma GCC unroll 8
            for (int v = 0; v < Vectors; ++v) sum[r][v] += value * row[v];
        }
    }
#pragma GCC unroll 16
    for (int r = 0; r < Rows; ++r) {
#pragma GCC unroll 8
        for (int v = 0; v < Vectors; ++v) store(c + r * ldc + v * kLanes, sum[r][v]);
    }
}

using TileFunction = void (*)(Index, const float*, Index, Index, const float*, Index, float*, Index);

// Every tile function, by[vectors - 1][rows - 1].
struct TileTable {
    TileFunction by[kVectors][kRows];
};

template <std::size_t... Rows>
constexpr TileTable tile_table(std::index_sequence<Rows...>) {
    static_assert(kVectors == 2, "the table lists one and two vectors");
    return {{{&tile<static_cast<int>(Rows) + 1, 1>...}, {&tile<static_cast<int>(Rows) + 1, 2>...}}};
}

constexpr TileTable kTiles = tile_table(std::make_index_sequence<kRows>{});

// A thread's zero-padded panel of B (at the right edge, or a b^T's transposed rows) and C tile.
struct Scratch {
    float* b_panel = nullptr;  // k x kCols
    Index b_panel_size = 0;
    float c_tile[kRows * kCols];

    ~Scratch() { ::operator delete(b_panel); }

    // At least `size` floats; a larger panel replaces the old one (its contents are not kept).
    float* panel_of(Index size) {
        if (b_panel_size < size) {
            ::operator delete(b_panel);
            b_panel = nullptr;
            b_panel = static_cast<float*>(::operator new(static_cast<std::size_t>(size) * sizeof(float)));
            b_panel_size = size;
        }
        return b_panel;
    }
};

Scratch& scratch() {
    thread_local Scratch buffers;
    return buffers;
}

// The operands of one product, as the tile sees them.
struct Operands {
    Product product;
    Index m, n, k;
    const float* a;
    Index lda;
    const float* b;
    Index ldb;
    float* c;
    Index ldc;
};

// Rows [j, j + cols) of B, transposed into panel (k x kCols, zero right of cols): a b^T's B side.
// Each 16 k's of a row are copied together, so each cache line of a row is read once.
void transpose_panel(const Operands& p, Index j, Index cols, float* panel) {
    constexpr Index kSpan = 16;
    for (Index x0 = 0; x0 < p.k; x0 += kSpan) {
        const Index span = smaller(kSpan, p.k - x0);
        for (Index col = 0; col < cols; ++col) {
            const float* row = p.b + (j + col) * p.ldb + x0;
            for (Index x = 0; x < span; ++x) panel[(x0 + x) * kCols + col] = row[x];
        }
        for (Index x = 0; x < span; ++x) {
            std::memset(panel + (x0 + x) * kCols + cols, 0, static_cast<std::size_t>(kCols - cols) * sizeof(float));
        }
    }
}

// Columns [j, j + cols) of the B side as the tile reads them: k rows, `stride` floats apart. Read in
// place when B's rows hold them and they fill whole vectors; otherwise copied, zero-padded.
const float* b_panel(const Operands& p, Index j, Index cols, Scratch& s, Index& stride) {
    if (p.product != Product::a_bt && cols % kLanes == 0) {
        stride = p.ldb;
        return p.b + j;
    }
    stride = kCols;
    float* panel = s.panel_of(p.k * kCols);
    if (p.product == Product::a_bt) {
        transpose_panel(p, j, cols, panel);
    } else {
        for (Index x = 0; x < p.k; ++x) {
            std::memcpy(panel + x * kCols, p.b + x * p.ldb + j, static_cast<std::size_t>(cols) * sizeof(float));
            std::memset(panel + x * kCols + cols, 0, static_cast<std::size_t>(kCols - cols) * sizeof(float));
        }
    }
    return panel;
}

// Tile rows [i, i + rows) x columns [j, j + cols) of C, from the B side's panel b (stride ldb).
void run_tile(const Operands& p, Index i, Index rows, Index j, Index cols, const float* b, Index ldb, Scratch& s) {
    // rows from i of A (a b, a b^T) or of A^T (a^T b: A's columns), read in place
    const bool transposed = p.product == Product::at_b;
    const Index a_row_step = transposed ? 1 : p.lda, a_k_step = transposed ? p.lda : 1;
    const Index vectors = (cols + kLanes - 1) / kLanes;
    const TileFunction run = kTiles.by[vectors - 1][rows - 1];
    const float* a = p.a + i * a_row_step;
    float* c = p.c + i * p.ldc + j;
    if (cols % kLanes == 0) return run(p.k, a, a_row_step, a_k_step, b, ldb, c, p.ldc);
    run(p.k, a, a_row_step, a_k_step, b, ldb, s.c_tile, kCols);
    for (Index r = 0; r < rows; ++r) {
        std::memcpy(c + r * p.ldc, s.c_tile + r * kCols, static_cast<std::size_t>(cols) * sizeof(float));
    }
}

// Rows [first, last) of C.
void multiply_rows(const Operands& p, Index first, Index last) {
    Scratch& s = scratch();
    if (p.product == Product::at_b) {
        // A^T's rows are A's columns, a strip of k cache lines: each tile row's strip stays in the
        // L1 cache while B (batch x outputs in training) streams past it from L2. Only the last
        // panel of B may need a copy, made once.
        const Index edge = p.n - p.n % kCols;
        Index edge_stride = 0;
        const float* edge_panel = edge < p.n ? b_panel(p, edge, p.n - edge, s, edge_stride) : nullptr;
        for (Index i = first; i < last; i += kRows) {
            const Index rows = smaller(kRows, last - i);
            for (Index j = 0; j < edge; j += kCols) run_tile(p, i, rows, j, kCols, p.b + j, p.ldb, s);
            if (edge_panel) run_tile(p, i, rows, edge, p.n - edge, edge_panel, edge_stride, s);
        }
        return;
    }
    for (Index block = first; block < last; block += kBlockRows) {
        const Index block_end = smaller(last, block + kBlockRows);
        for (Index j = 0; j < p.n; j += kCols) {
            const Index cols = smaller(kCols, p.n - j);
            Index ldb = 0;
            const float* b = b_panel(p, j, cols, s, ldb);
            for (Index i = block; i < block_end; i += kRows) {
                run_tile(p, i, smaller(kRows, block_end - i), j, cols, b, ldb, s);
            }
        }
    }
}

void multiply(Product product, int m, int n, int k, const float* a, int lda, const float* b, int ldb, float* c,
              int ldc, int threads) {
    const Operands p{product, m, n, k, a, lda, b, ldb, c, ldc};
    // Threads take blocks of whole tiles of rows, at least 4 tiles each; each element's sum is the
    // same whichever thread does it.
    const Index tiles = (p.m + kRows - 1) / kRows;
    const int parts = static_cast<int>(smaller(larger(tiles / 4, 1), larger(threads, 1)));
    if (parts == 1) return multiply_rows(p, 0, p.m);
#pragma omp parallel for num_threads(parts) schedule(static)
    for (int part = 0; part < parts; ++part) {
        const Index begin = tiles * part / parts * kRows, end = tiles * (part + 1) / parts * kRows;
        multiply_rows(p, smaller(p.m, begin), smaller(p.m, end));
    }
}

}  // namespace

void FCNET_UPDATE_FUNCTION(const UpdateRule& rule, const ParameterSlice& slice);  // update_kernel.cpp, same build

extern const GemmKernel FCNET_GEMM_KERNEL;
const GemmKernel FCNET_GEMM_KERNEL{FCNET_GEMM_NAME, multiply, FCNET_UPDATE_FUNCTION};

}  // namespace fcnet
