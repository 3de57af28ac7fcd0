/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

const char *till_i18n_get_localedir (gboolean bilingual);
gboolean    till_i18n_bind          (gboolean bilingual);
gboolean    till_i18n_bind_for_settings (GSettings *settings);
gboolean    till_i18n_get_bilingual (void);
char       *till_i18n_dup_customer_words (const char *msgid);

G_END_DECLS
