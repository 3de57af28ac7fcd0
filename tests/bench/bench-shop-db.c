/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench-shop-db CACHE-DIR: makes (or finds) the benchmarks' shop database and prints its path. */
#define G_LOG_DOMAIN "till-bench"
#include "config.h"

#include <stdio.h>

#include "till-bench-shop.h"

int
main (int   argc,
      char *argv[])
{
  g_autofree char *path = NULL;

  if (argc != 2)
    {
      g_printerr ("Usage: %s CACHE-DIR\n", argv[0]);
      return 2;
    }
  path = till_bench_shop_ensure ("bench-shop-db", argv[1]);
  g_print ("%s\n", path);
  return 0;
}
