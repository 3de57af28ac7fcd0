/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Benchmark: payment to "paid" without a display (issue 20 item 3). A payment code entered
 * into TillCheckout (till_checkout_enter_code, as the cashier's window does on Enter) until
 * the request has arrived at the loopback simulator, and from the simulator's answer until
 * the checkout's sale is paid ("sale-paid"); beside, in the same run, one bare SQLite commit
 * with synchronous=FULL on the same disk and one bare RSA-2048 signature with the same keys.
 *
 * The simulator keeps no arrival times, so the benchmark puts a loopback TCP proxy in front
 * of it (till-bench-proxy.h, the same monotonic clock as the checkout): the till is
 * configured with the proxy's address, the proxy forwards every byte at once and notes when
 * a request's bytes came and when the answer's bytes went back. */
#define G_LOG_DOMAIN "till-bench"
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <glib/gstdio.h>
#include <sqlite3.h>

#ifdef TILL_BENCH_OPENSSL
#include <openssl/evp.h>
#include <openssl/pem.h>
#endif

#include "till-bench-proxy.h"
#include "till-bench-stats.h"
#include "till-bench-till.h"
#include "till-rsa-key.h"
#include "till-store.h"

/* Usage: bench-pay DIR [N-PER-PROVIDER]
 *
 * DIR (the build dir) holds the till's database and the bare commit's database, so both
 * fsync on the same disk. N-PER-PROVIDER payments (default 200) by WeChat Pay and as many
 * by Alipay, in turn, each on a sale of one line scanned before (outside the timing), with
 * the simulator's plain-success ending 0000. */

#define PROG "bench-pay"

/* ---- the payments -------------------------------------------------------------------- */

typedef struct
{
  TillBenchTiming *to_first_byte;  /* Enter to the request's first byte at the simulator */
  TillBenchTiming *to_request;     /* Enter to the whole request at the simulator */
  TillBenchTiming *simulator;      /* the whole request to the answer's first byte */
  TillBenchTiming *answer_to_paid; /* the answer's last byte to "sale-paid" */
  TillBenchTiming *total;          /* Enter to "sale-paid" */
} Provider;

static Provider
provider_new (void)
{
  Provider p;

  p.to_first_byte = till_bench_timing_new ("Enter -> request's first byte");
  p.to_request = till_bench_timing_new ("Enter -> request arrived");
  p.simulator = till_bench_timing_new ("simulator (request -> answer)");
  p.answer_to_paid = till_bench_timing_new ("answer -> sale paid");
  p.total = till_bench_timing_new ("Enter -> sale paid");
  return p;
}

static guint paid_target;

static gboolean
sale_paid_cond (TillBenchTill *till)
{
  return till->sales_paid >= paid_target;
}

static void
one_payment (TillBenchTill *till, const char *product, gboolean alipay, Provider *p)
{
  g_autofree char *code
      = alipay ? till_test_paysim_alipay_auth_code ("0000") : till_test_paysim_auth_code ("0000");
  TillBenchExchange e;
  guint mark;
  gint64 t0;

  till_bench_till_scan (till, product);
  till_bench_till_settle (till);
  paid_target = till->sales_paid + 1;
  mark = till_bench_proxy_mark ();

  t0 = till_bench_now_ns ();
  till_checkout_enter_code (till->checkout, code);
  till_bench_till_wait (till, sale_paid_cond, 30000, "the sale to be paid");

  /* The proxy notes the answer's last byte after writing it, so a fast till can be paid
   * before the note: wait for it a little (bounded). */
  for (gint64 until = g_get_monotonic_time () + 2 * G_USEC_PER_SEC;
       !till_bench_proxy_find_pay (mark, &e) && g_get_monotonic_time () < until;)
    g_usleep (50);
  if (!till_bench_proxy_find_pay (mark, &e))
    {
      g_printerr (PROG ": the %s pay request did not pass the proxy\n",
                  alipay ? "Alipay" : "WeChat Pay");
      exit (1);
    }
  till_bench_timing_add (p->to_first_byte, e.request_first_ns - t0);
  till_bench_timing_add (p->to_request, e.request_last_ns - t0);
  till_bench_timing_add (p->simulator, e.answer_first_ns - e.request_last_ns);
  till_bench_timing_add (p->answer_to_paid, till->paid_ns - e.answer_last_ns);
  till_bench_timing_add (p->total, till->paid_ns - t0);
  till_bench_till_settle (till);
}

/* ---- the bare floor -------------------------------------------------------------------- */

/* One round after each payment, so that the machine's load weighs on both alike: a bare
 * commit, a bare signature with each key through the crypto layer (TillRsaKey) and, with
 * libcrypto, OpenSSL's own (what `openssl speed rsa2048` measures). */
typedef struct
{
  char *path;
  sqlite3 *db;
  sqlite3_stmt *insert;
  TillRsaKey *wx_key, *ali_key;
  char *msg; /* about the size of what the clients sign */
  TillBenchTiming *commit, *sign_wx, *sign_ali, *sign_openssl;
#ifdef TILL_BENCH_OPENSSL
  EVP_PKEY *pkey;
#endif
} Bare;

static TillRsaKey *
load_key (TillTestPaysim *sim, const char *file)
{
  g_autofree char *path = till_test_paysim_dup_path (sim, file);
  g_autoptr (GError) error = NULL;
  TillRsaKey *key = till_rsa_key_load_private_file (path, &error);

  till_bench_die_on_error (PROG, error, "loading a signing key");
  return key;
}

static Bare *
bare_new (const char *dir, TillTestPaysim *sim)
{
  Bare *bare = g_new0 (Bare, 1);
  char *err = NULL;

  bare->path = g_build_filename (dir, "bare-fsync.db", NULL);
  g_unlink (bare->path);
  if (sqlite3_open (bare->path, &bare->db) != SQLITE_OK
      || sqlite3_exec (bare->db,
                       "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;"
                       " CREATE TABLE t (id INTEGER PRIMARY KEY, at INTEGER, note TEXT)",
                       NULL, NULL, &err)
             != SQLITE_OK
      || sqlite3_prepare_v2 (bare->db, "INSERT INTO t (at, note) VALUES (?1, 'a payment begun')",
                             -1, &bare->insert, NULL)
             != SQLITE_OK)
    {
      g_printerr (PROG ": the bare commit's database: %s\n", err ? err : sqlite3_errmsg (bare->db));
      exit (1);
    }
  bare->wx_key = load_key (sim, "merchant_private_key.pem");
  bare->ali_key = load_key (sim, "alipay_app_private_key.pem");
  bare->msg = g_strnfill (420, 'x');
  bare->commit = till_bench_timing_new ("bare commit (WAL, synchronous=FULL)");
  bare->sign_wx = till_bench_timing_new ("bare RSA-2048 signature (WeChat key)");
  bare->sign_ali = till_bench_timing_new ("bare RSA-2048 signature (Alipay key)");
  bare->sign_openssl = till_bench_timing_new ("bare RSA-2048 signature (OpenSSL)");
#ifdef TILL_BENCH_OPENSSL
  {
    g_autofree char *path = till_test_paysim_dup_path (sim, "merchant_private_key.pem");
    FILE *f = fopen (path, "r");

    if (f != NULL)
      {
        bare->pkey = PEM_read_PrivateKey (f, NULL, NULL, NULL);
        fclose (f);
      }
    if (bare->pkey == NULL)
      {
        g_printerr (PROG ": OpenSSL cannot read %s\n", path);
        exit (1);
      }
  }
#endif
  return bare;
}

static void
bare_sign (Bare *bare, TillRsaKey *key, TillBenchTiming *t)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *sig = NULL;
  gint64 t0 = till_bench_now_ns ();

  sig = till_rsa_sign_base64 (key, bare->msg, strlen (bare->msg), &error);
  till_bench_timing_add (t, till_bench_now_ns () - t0);
  till_bench_die_on_error (PROG, error, "signing");
}

static void
bare_round (Bare *bare, guint i)
{
  gint64 t0;

  bare->msg[i % 400] = (char)('a' + i % 26);
  t0 = till_bench_now_ns ();
  sqlite3_bind_int64 (bare->insert, 1, t0);
  if (sqlite3_step (bare->insert) != SQLITE_DONE)
    {
      g_printerr (PROG ": the bare commit: %s\n", sqlite3_errmsg (bare->db));
      exit (1);
    }
  sqlite3_reset (bare->insert);
  till_bench_timing_add (bare->commit, till_bench_now_ns () - t0);
  bare_sign (bare, i % 2 == 0 ? bare->wx_key : bare->ali_key,
             i % 2 == 0 ? bare->sign_wx : bare->sign_ali);
#ifdef TILL_BENCH_OPENSSL
  {
    EVP_MD_CTX *ctx = EVP_MD_CTX_new ();
    unsigned char sig[512];
    size_t sig_len = sizeof sig;
    g_autofree char *b64 = NULL;

    t0 = till_bench_now_ns ();
    if (EVP_DigestSignInit (ctx, NULL, EVP_sha256 (), NULL, bare->pkey) != 1
        || EVP_DigestSign (ctx, sig, &sig_len, (const unsigned char *)bare->msg, strlen (bare->msg))
               != 1)
      {
        g_printerr (PROG ": OpenSSL could not sign\n");
        exit (1);
      }
    b64 = g_base64_encode (sig, sig_len);
    till_bench_timing_add (bare->sign_openssl, till_bench_now_ns () - t0);
    EVP_MD_CTX_free (ctx);
  }
#endif
}

static void
bare_free (Bare *bare)
{
  sqlite3_finalize (bare->insert);
  sqlite3_close (bare->db);
  for (const char *const *suffix = (const char *const[]){ "", "-wal", "-shm", NULL }; *suffix;
       suffix++)
    {
      g_autofree char *f = g_strconcat (bare->path, *suffix, NULL);
      g_unlink (f);
    }
#ifdef TILL_BENCH_OPENSSL
  EVP_PKEY_free (bare->pkey);
#endif
  till_rsa_key_unref (bare->wx_key);
  till_rsa_key_unref (bare->ali_key);
  g_free (bare->msg);
  g_free (bare->path);
  g_free (bare);
}

static char *
first_product_code (const char *db_path)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  char *code = NULL;

  if (sqlite3_open_v2 (db_path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK
      && sqlite3_prepare_v2 (db,
                             "SELECT barcode FROM product WHERE active = 1 AND weighed = 0"
                             " AND length (barcode) = 13 AND price_fen BETWEEN 100 AND 100000"
                             " ORDER BY id LIMIT 1",
                             -1, &stmt, NULL)
             == SQLITE_OK
      && sqlite3_step (stmt) == SQLITE_ROW)
    code = g_strdup ((const char *)sqlite3_column_text (stmt, 0));
  if (code == NULL)
    {
      g_printerr (PROG ": no product to sell in the demo catalog: %s\n", sqlite3_errmsg (db));
      exit (1);
    }
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return code;
}

int
main (int argc, char *argv[])
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TillTestPaysim) sim = NULL;
  g_autoptr (TillStore) seed = NULL;
  g_autofree char *work_dir = NULL;
  g_autofree char *work_db = NULL;
  g_autofree char *proxy_url = NULL;
  g_autofree char *product = NULL;
  const char *const sim_args[] = { "--password-delay-ms", "3000", NULL };
  TillBenchTill *till;
  Provider wx = provider_new (), ali = provider_new ();
  Bare *bare;
  TillBenchStats s_commit, s_sign_wx, s_sign_ali;
  guint n = 200;
  double floor_openssl = 0;

  if (argc < 2)
    {
      g_printerr ("Usage: %s DIR [N-PER-PROVIDER]\n", argv[0]);
      return 2;
    }
  if (argc > 2)
    n = (guint)CLAMP (g_ascii_strtoull (argv[2], NULL, 10), 1, 100000);
  till_bench_quiet_logs ();

  work_dir = g_build_filename (argv[1], "pay-work", NULL);
  g_mkdir_with_parents (work_dir, 0755);
  work_db = g_build_filename (work_dir, "tillpoint.db", NULL);
  for (const char *const *suffix = (const char *const[]){ "", "-wal", "-shm", NULL }; *suffix;
       suffix++)
    {
      g_autofree char *f = g_strconcat (work_db, *suffix, NULL);
      g_unlink (f);
    }
  seed = till_store_open (work_db, &error);
  till_bench_die_on_error (PROG, error, "creating the till's database");
  till_store_seed_demo_catalog (seed, &error);
  till_bench_die_on_error (PROG, error, "the demo catalog");
  till_store_flush (seed);
  g_clear_object (&seed);
  product = first_product_code (work_db);

  sim = till_test_paysim_start (sim_args, &error);
  till_bench_die_on_error (PROG, error, "starting the simulator");
  proxy_url = till_bench_proxy_start (PROG, till_test_paysim_get_port (sim));
  till = till_bench_till_new (PROG, work_db, work_dir, sim, proxy_url);

  /* Warm-up, untimed: the connections' first use, the keys, the statements. */
  for (guint i = 0; i < 10; i++)
    one_payment (till, product, i % 2 == 1, i % 2 == 1 ? &ali : &wx);
  for (guint k = 0; k < 2; k++)
    {
      Provider *p = k == 0 ? &wx : &ali;

      g_array_set_size (p->to_first_byte->ns, 0);
      g_array_set_size (p->to_request->ns, 0);
      g_array_set_size (p->simulator->ns, 0);
      g_array_set_size (p->answer_to_paid->ns, 0);
      g_array_set_size (p->total->ns, 0);
    }

  bare = bare_new (argv[1], sim);
  for (guint i = 0; i < 2 * n; i++)
    {
      one_payment (till, product, i % 2 == 1, i % 2 == 1 ? &ali : &wx);
      bare_round (bare, i);
    }

  g_print ("payment to \"paid\" without a display: %u payments by WeChat Pay and %u by Alipay, "
           "through a loopback proxy in front of the simulator\n",
           n, n);
  g_print ("the bare floor, a round after each payment (signatures through the crypto layer, "
           "TillRsaKey, and OpenSSL's own):\n");
  s_commit = till_bench_timing_print_ms (bare->commit, 38);
  s_sign_wx = till_bench_timing_print_ms (bare->sign_wx, 38);
  s_sign_ali = till_bench_timing_print_ms (bare->sign_ali, 38);
#ifdef TILL_BENCH_OPENSSL
  {
    TillBenchStats s_ossl = till_bench_timing_print_ms (bare->sign_openssl, 38);

    g_print ("  the crypto layer's signature / OpenSSL's: median %.2fx\n",
             s_sign_wx.median / s_ossl.median);
    floor_openssl = s_commit.median + s_ossl.median;
  }
#endif
  for (guint k = 0; k < 2; k++)
    {
      Provider *p = k == 0 ? &wx : &ali;
      double floor = s_commit.median + (k == 0 ? s_sign_wx.median : s_sign_ali.median);
      TillBenchStats s_req, s_paid;

      g_print ("%s:\n", k == 0 ? "WeChat Pay (codepay)" : "Alipay (alipay.trade.pay)");
      till_bench_timing_print_ms (p->to_first_byte, 38);
      s_req = till_bench_timing_print_ms (p->to_request, 38);
      till_bench_timing_print_ms (p->simulator, 38);
      s_paid = till_bench_timing_print_ms (p->answer_to_paid, 38);
      till_bench_timing_print_ms (p->total, 38);
      g_print ("  ratio Enter -> request / (bare commit + bare signature): median %.2fx "
               "(%.3f ms above it), p99 %.2fx\n",
               s_req.median / floor, (s_req.median - floor) / 1e6,
               s_req.p99 / (s_commit.p99 + (k == 0 ? s_sign_wx.p99 : s_sign_ali.p99)));
      if (floor_openssl > 0)
        g_print ("  ratio Enter -> request / (bare commit + OpenSSL's signature): median %.2fx "
                 "(%.3f ms above it)\n",
                 s_req.median / floor_openssl, (s_req.median - floor_openssl) / 1e6);
      g_print ("  ratio answer -> paid / bare commit: median %.2fx, p99 %.2fx\n",
               s_paid.median / s_commit.median, s_paid.p99 / s_commit.p99);
    }

  bare_free (bare);
  till_bench_till_free (till);
  for (const char *const *suffix = (const char *const[]){ "", "-wal", "-shm", NULL }; *suffix;
       suffix++)
    {
      g_autofree char *f = g_strconcat (work_db, *suffix, NULL);
      g_unlink (f);
    }
  g_rmdir (work_dir);
  return 0;
}
