/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A shop's database for the benchmarks of what a cashier feels (issue 20): 1,000,000
 * products with Chinese names (search keys and all, through the store's own upsert), a year
 * of sales with their lines, payments and refunds, a manager and two cashiers with PINs.
 * Made once per schema version and cached; each benchmark works on a copy. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define TILL_BENCH_SHOP_PRODUCTS      1000000
#define TILL_BENCH_SHOP_DAYS          365
#define TILL_BENCH_SHOP_SALES_PER_DAY 600
/* The people in the shop's database and their PINs. */
#define TILL_BENCH_SHOP_MANAGER       "店长"
#define TILL_BENCH_SHOP_MANAGER_PIN   "8888"
#define TILL_BENCH_SHOP_CASHIER       "小王"
#define TILL_BENCH_SHOP_CASHIER_PIN   "1234"

/* Product i's EAN-13 (0 <= i < TILL_BENCH_SHOP_PRODUCTS): "69" (GS1 China), ten digits
 * spread over the range, the check digit. */
void
till_bench_shop_product_code (guint64 i, char out[14]);

/* The path of the cached shop database in `cache_dir` (made there first when missing or
 * unusable: a few minutes, said on stdout). Ends the process on failure. */
char *
till_bench_shop_ensure (const char *prog, const char *cache_dir);

/* Copies the cached database to DIR/tillpoint.db (DIR made; an old copy, its -wal and
 * -shm removed first) and returns that path: a till's data directory. */
char *
till_bench_shop_copy (const char *prog, const char *cached, const char *dir);

G_END_DECLS
