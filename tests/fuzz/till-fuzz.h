/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What every fuzz target shares: the libFuzzer entry points (each target defines both),
 * a log writer that keeps criticals (fatal) and drops the messages bad input is meant to
 * cause, and a scratch directory removed at exit. */
#pragma once

#include <glib.h>
#include <stddef.h>
#include <stdint.h>

G_BEGIN_DECLS

int
LLVMFuzzerInitialize (int *argc, char ***argv);
int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

/* Criticals and errors abort (a g_return_if_fail hit by input is a bug); messages and
 * warnings, which bad input is meant to cause, are dropped. Call first. */
void
till_fuzz_init (void);
/* A fresh directory for this process (removed at exit), like g_dir_make_tmp. */
const char *
till_fuzz_scratch_dir (void);

G_END_DECLS
