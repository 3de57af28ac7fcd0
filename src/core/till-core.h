/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Umbrella header of the core layer (GLib/GObject only). */
#pragma once

#include "till-core-error.h"
#include "till-clock.h"
#include "till-money.h"
#include "till-barcode.h"
#include "till-member-code.h"
#include "till-phone.h"
#include "till-stored-value.h"
#include "till-pinyin.h"
#include "till-discount.h"
#include "till-sale-line.h"
#include "till-sale.h"
#include "till-payment-state.h"
#include "till-refund-state.h"
