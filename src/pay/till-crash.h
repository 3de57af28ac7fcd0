/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Named crash points for the crash tests (tests/slow): in a test build (TILL_TEST_BUILD),
 * when the environment variable TILLPOINT_CRASH_AT is "NAME" or "NAME:N", the N-th time
 * (default the first) the process passes the point NAME it kills itself with SIGKILL at
 * once — no cleanup, no flush, as a power cut would. Otherwise the points compile to
 * nothing.
 *
 * Points where a request is "on the wire" use the deferred form: when it is the armed
 * hit, a kill is scheduled `delay_ms` later (from a thread, whatever the main loop does),
 * and till_crash_point_check_deferred() at the answer kills at once if the answer comes
 * first — so the request has been handed to the network either way, and its answer is
 * never acted on.
 *
 * Names in use: pay.after_commit_before_send, pay.after_send_before_answer,
 * pay.after_answer_before_commit, pay.while_polling, pay.while_reversing,
 * refund.after_commit_before_send, refund.after_send_before_answer,
 * refund.after_answer_before_commit; for Native pay native.after_commit_before_send,
 * native.after_send_before_answer (the order is created on the wire),
 * native.after_answer_before_commit, native.while_polling (the QR code is shown) and
 * native.while_closing (the close is on the wire). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define TILL_CRASH_ENV "TILLPOINT_CRASH_AT"

#if TILL_TEST_BUILD
void     till_crash_point                (const char *name);
void     till_crash_point_deferred       (const char *name,
                                          guint       delay_ms);
void     till_crash_point_check_deferred (const char *name);
/* How many times the point was passed in this process (for tests). */
guint    till_crash_point_hits           (const char *name);
#else
static inline void  till_crash_point                (const char *name) { (void) name; }
static inline void  till_crash_point_deferred       (const char *name, guint delay_ms) { (void) name; (void) delay_ms; }
static inline void  till_crash_point_check_deferred (const char *name) { (void) name; }
static inline guint till_crash_point_hits           (const char *name) { (void) name; return 0; }
#endif

G_END_DECLS
