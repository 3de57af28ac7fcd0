/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Inside the hq layer: the connection and statement helpers. */
#pragma once

#include <libpq-fe.h>

#include "till-hq.h"

G_BEGIN_DECLS

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PGresult, PQclear)

PGconn   *_till_hq_conn (TillHq *self);
/* A statement with text parameters (NULL: SQL NULL); NULL with `error` unless its status
 * is a command's or rows'. `what` starts the message ("The report could not be made"). */
PGresult *_till_hq_exec (TillHq             *self,
                         const char         *sql,
                         int                 n_params,
                         const char *const  *params,
                         const char         *what,
                         GError            **error);
gboolean  _till_hq_run  (TillHq      *self,
                         const char  *sql,
                         const char  *what,
                         GError     **error);
void      _till_hq_rollback (TillHq *self);
gint64    _till_hq_int   (PGresult *result, int row, int column);
/* The schema's steps (till-hq-schema.c): step `version` (1 ..) as SQL. */
const char *_till_hq_schema_step (int version);

G_END_DECLS
