/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The demo catalog: what a Chinese convenience store (便利店) sells, for --demo and for
 * trainees. Barcodes are EAN-13 with the 69 (China) prefix; their check digits are
 * computed, never typed. Weighed goods carry a 6-digit PLU, the item code of the scale's
 * prefix-2 EAN-13 ('2' + item + 5-digit grams + check). */
#define G_LOG_DOMAIN "till-store"

#include "config.h"

#include <string.h>

#include "till-store-private.h"
#include "till-store-products.h"
#include "till-store-quickkeys.h"

typedef struct
{
  const char *stem;       /* EAN-13 without its check digit (12 digits), or NULL */
  const char *plu;        /* typed code, or NULL */
  const char *name;
  gint64      price_fen;  /* per unit; per kg when weighed */
  const char *unit;
  gboolean    weighed;
} DemoProduct;

static const DemoProduct demo_products[] = {
  /* drinks 饮料 */
  { "692116850925", NULL,   "农夫山泉饮用天然水 550ml",        200, "瓶", FALSE },
  { "692116850940", NULL,   "农夫山泉饮用天然水 1.5L",         400, "瓶", FALSE },
  { "695476700105", NULL,   "可口可乐 330ml",                 300, "罐", FALSE },
  { "695476700205", NULL,   "可口可乐 500ml",                 350, "瓶", FALSE },
  { "695476700307", NULL,   "雪碧 500ml",                     350, "瓶", FALSE },
  { "692539100001", NULL,   "百事可乐 500ml",                 350, "瓶", FALSE },
  { "690248340010", NULL,   "康师傅冰红茶 500ml",             300, "瓶", FALSE },
  { "690248340027", NULL,   "康师傅绿茶 500ml",               300, "瓶", FALSE },
  { "690248340034", NULL,   "康师傅茉莉清茶 500ml",           300, "瓶", FALSE },
  { "692554010203", NULL,   "统一冰红茶 500ml",               300, "瓶", FALSE },
  { "692554010302", NULL,   "统一阿萨姆奶茶 500ml",           450, "瓶", FALSE },
  { "692127710056", NULL,   "王老吉凉茶 310ml",               400, "罐", FALSE },
  { "693896520018", NULL,   "元气森林白桃苏打气泡水 480ml",    550, "瓶", FALSE },
  { "690222940012", NULL,   "红牛维生素功能饮料 250ml",        650, "罐", FALSE },
  { "690102832001", NULL,   "怡宝纯净水 555ml",               200, "瓶", FALSE },
  { "694800170010", NULL,   "东方树叶乌龙茶 500ml",           550, "瓶", FALSE },
  /* dairy 乳品 */
  { "690793002317", NULL,   "伊利纯牛奶 250ml",               350, "盒", FALSE },
  { "690793002911", NULL,   "伊利安慕希酸奶 205g",            650, "盒", FALSE },
  { "692386102003", NULL,   "蒙牛纯牛奶 250ml",               330, "盒", FALSE },
  { "692386102201", NULL,   "蒙牛特仑苏纯牛奶 250ml",         600, "盒", FALSE },
  { "690282010101", NULL,   "光明优倍鲜牛奶 950ml",          1590, "瓶", FALSE },
  { "690350010215", NULL,   "娃哈哈AD钙奶 220g",              250, "瓶", FALSE },
  { "690350010307", NULL,   "养乐多活菌型乳酸菌饮品 100ml×5",  1050, "排", FALSE },
  /* instant food 方便食品 */
  { "690248310125", NULL,   "康师傅红烧牛肉面 105g",          450, "袋", FALSE },
  { "690248310149", NULL,   "康师傅老坛酸菜牛肉面 114g",      450, "袋", FALSE },
  { "690248310200", NULL,   "康师傅红烧牛肉面 桶装",          550, "桶", FALSE },
  { "692554020109", NULL,   "统一老坛酸菜牛肉面 桶装",        550, "桶", FALSE },
  { "690144900702", NULL,   "今麦郎一菜一面 红烧牛肉",        500, "桶", FALSE },
  { "693278200109", NULL,   "白象汤好喝老母鸡汤面",           550, "桶", FALSE },
  { "690130600024", NULL,   "双汇王中王火腿肠 40g",           250, "支", FALSE },
  { "690130600208", NULL,   "双汇玉米热狗肠 10支装",         1290, "包", FALSE },
  { "692067620151", NULL,   "海天金标生抽 500ml",            1290, "瓶", FALSE },
  { "690171200205", NULL,   "老干妈风味豆豉油制辣椒 280g",     1050, "瓶", FALSE },
  { "690236605018", NULL,   "乌江涪陵榨菜 80g",               250, "袋", FALSE },
  /* snacks 零食 */
  { "692467800607", NULL,   "乐事薯片原味 70g",               750, "袋", FALSE },
  { "692467800614", NULL,   "乐事薯片黄瓜味 70g",             750, "袋", FALSE },
  { "690118412011", NULL,   "旺旺雪饼 84g",                   650, "袋", FALSE },
  { "690118412035", NULL,   "旺旺仙贝 52g",                   550, "袋", FALSE },
  { "690118412103", NULL,   "旺仔牛奶 245ml",                 450, "罐", FALSE },
  { "692300050110", NULL,   "奥利奥原味夹心饼干 97g",          790, "盒", FALSE },
  { "690243100101", NULL,   "德芙丝滑牛奶巧克力 43g",          990, "条", FALSE },
  { "690243100309", NULL,   "士力架花生夹心巧克力 51g",        650, "条", FALSE },
  { "697061300112", NULL,   "三只松鼠每日坚果 25g",           590, "袋", FALSE },
  { "695325900103", NULL,   "良品铺子猪肉脯 100g",           1990, "袋", FALSE },
  { "690300050208", NULL,   "卫龙大面筋 102g",                500, "袋", FALSE },
  { "693155400106", NULL,   "绿箭口香糖 薄荷味 5片",          250, "条", FALSE },
  { "692111240011", NULL,   "大白兔奶糖 114g",               1290, "袋", FALSE },
  { "690810201004", NULL,   "好丽友派 6枚装",                1390, "盒", FALSE },
  /* daily goods 日用品 */
  { "692451010126", NULL,   "维达超韧抽纸 3层100抽",          590, "包", FALSE },
  { "692451010201", NULL,   "心相印手帕纸 10包",              690, "条", FALSE },
  { "690339930102", NULL,   "清风卷纸 10卷",                 2990, "提", FALSE },
  { "690082410158", NULL,   "高露洁防蛀牙膏 140g",           1290, "支", FALSE },
  { "690305010204", NULL,   "舒肤佳香皂 纯白清香 115g",        550, "块", FALSE },
  { "697090000109", NULL,   "蓝月亮洗衣液 1kg",              2990, "瓶", FALSE },
  { "690230010505", NULL,   "南孚碱性电池 5号 2粒",           990, "卡", FALSE },
  { "694720700121", NULL,   "晨光中性笔 0.5mm 黑色",          200, "支", FALSE },
  { "694720700152", NULL,   "晨光修正带",                     600, "个", FALSE },
  { "690666200303", NULL,   "杰士邦避孕套 超薄 3只",         2500, "盒", FALSE },
  { "692100180201", NULL,   "一次性雨衣",                     500, "件", FALSE },
  /* counter goods with short codes 柜台商品 (typed) */
  { NULL,           "8001", "茶叶蛋",                         200, "个", FALSE },
  { NULL,           "8002", "肉包子",                         250, "个", FALSE },
  { NULL,           "8003", "玉米棒",                         400, "根", FALSE },
  { NULL,           "8004", "关东煮 (3串)",                    600, "份", FALSE },
  { NULL,           "8005", "塑料袋 (大)",                     30, "个", FALSE },
  { "692999900012", "8101", "散装冰块 1kg",                   300, "袋", FALSE },
  /* weighed goods 称重商品: price per kg, PLU = scale item code */
  { NULL,           "100001", "香蕉",                        698, "kg", TRUE },
  { NULL,           "100002", "苹果 (红富士)",                1196, "kg", TRUE },
  { NULL,           "100003", "砂糖橘",                       990, "kg", TRUE },
  { NULL,           "200001", "散装花生",                    1980, "kg", TRUE },
  { NULL,           "200002", "散装瓜子 (原味)",              2600, "kg", TRUE },
  { NULL,           "300001", "五花肉",                      3380, "kg", TRUE },
  { NULL,           "300002", "鸡蛋 (散装)",                  1160, "kg", TRUE },
  { NULL,           "300003", "散装大米",                     598, "kg", TRUE },
};

static char *
ean13_from_stem (const char *stem)
{
  int check;

  g_assert (strlen (stem) == 12);
  check = till_barcode_gs1_check_digit (stem, 12);
  g_assert (check >= 0 && check <= 9);
  return g_strdup_printf ("%s%d", stem, check);
}

gboolean
till_store_seed_demo_catalog (TillStore  *self,
                              GError    **error)
{
  g_autoptr(TillStoreLocker) locker = NULL;

  g_return_val_if_fail (TILL_IS_STORE (self), FALSE);

  locker = till_store_locker_new (self);
  if (!till_store_begin (self, error))
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (demo_products); i++)
    {
      const DemoProduct *demo = &demo_products[i];
      g_autofree char *barcode = demo->stem ? ean13_from_stem (demo->stem) : NULL;
      TillProduct product = {
        .barcode = barcode,
        .plu = (char *) demo->plu,
        .name = (char *) demo->name,
        .price_fen = demo->price_fen,
        .unit = (char *) demo->unit,
        .weighed = demo->weighed,
        .active = TRUE,
      };

      if (till_store_upsert_product (self, &product, error) == 0)
        {
          till_store_rollback (self);
          return FALSE;
        }
    }

  if (!till_store_commit (self, error))
    return FALSE;
  g_message ("Demo catalog: %u products", (guint) G_N_ELEMENTS (demo_products));
  return TRUE;
}

/* The demo's pages: counter goods typed by their short codes, and weighed goods. */
static const struct
{
  const char *page;
  const char *plus[6];
  const char *colour;
} demo_pages[] = {
  { "熟食", { "8001", "8002", "8003", "8004", "8005", NULL }, "#f6d32d" },
  { "称重", { "100001", "100002", "100003", "300001", "300002", NULL }, "#8ff0a4" },
};

gboolean
till_store_seed_demo_quick_keys (TillStore  *self,
                                 GError    **error)
{
  g_autoptr(GPtrArray) keys = NULL;
  g_autoptr(GPtrArray) categories = NULL;

  g_return_val_if_fail (TILL_IS_STORE (self), FALSE);

  keys = till_store_list_quick_keys (self, TRUE, error);
  if (keys == NULL)
    return FALSE;
  if (keys->len > 0)
    return TRUE;
  categories = till_store_list_categories (self, error);
  if (categories == NULL)
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (demo_pages); i++)
    {
      gint64 page = 0;

      for (guint c = 0; c < categories->len; c++)
        {
          TillCategory *category = g_ptr_array_index (categories, c);

          if (g_strcmp0 (category->name, demo_pages[i].page) == 0)
            page = category->id;
        }
      if (page == 0 && (page = till_store_add_category (self, demo_pages[i].page, "demo",
                                                         error)) == 0)
        return FALSE;
      for (guint k = 0; demo_pages[i].plus[k] != NULL; k++)
        {
          g_autoptr(GError) local_error = NULL;
          g_autoptr(TillProduct) product = till_store_lookup_plu (self, demo_pages[i].plus[k],
                                                                  &local_error);

          if (local_error != NULL)
            {
              g_propagate_error (error, g_steal_pointer (&local_error));
              return FALSE;
            }
          if (product == NULL)   /* not in this catalog any more: no key */
            continue;
          if (till_store_place_quick_key (self, page, product->id, NULL,
                                          k == 0 ? demo_pages[i].colour : NULL, "demo",
                                          error) == 0)
            return FALSE;
        }
    }
  g_message ("Demo quick keys: %u pages", (guint) G_N_ELEMENTS (demo_pages));
  return TRUE;
}
