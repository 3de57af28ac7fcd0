/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Mainland China mobile numbers as a cashier types them: normalized for storing and
 * lookup, masked ("138****1234") for the customer display, receipts and anything shown
 * to others. A number is never written to a log, masked or not: log the member's id. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The 11 digits of a mainland mobile number (1[3-9] + 9 digits) from what was typed:
 * spaces, dashes, dots, brackets and full-width digits are dropped, a leading "+86",
 * "0086" or "86" country code is taken off. NULL when what is left is not such a
 * number. */
char *
till_phone_normalize (const char *text);
/* The first three and last four digits of a normalized number with "****" between
 * ("138****1234"); for anything else (not 11 digits) "****" and at most its last four
 * characters. Never NULL. */
char *
till_phone_mask (const char *phone);

G_END_DECLS
