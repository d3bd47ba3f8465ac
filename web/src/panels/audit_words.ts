import type { Label } from "../../../server/layers/fields.ts";

/**
 * What the audit trail names besides the layers (whose words the layer registry gives): the other
 * audited tables, their columns, the geometry, and what an export or import records about itself.
 */
export const AUDITED_TABLES: Record<string, Label> = {
  depot_stock: { zh: "储备库库存", en: "Depot stock" },
  users: { zh: "用户账户", en: "User accounts" },
  api_tokens: { zh: "API 令牌", en: "API tokens" },
};

export const AUDITED_FIELDS: Record<string, Label> = {
  // any table
  id: { zh: "编号", en: "ID" },
  geom: { zh: "位置", en: "Location" },
  geometry: { zh: "位置", en: "Location" },
  version: { zh: "版本", en: "Version" },
  created_at: { zh: "创建时间", en: "Created" },
  updated_at: { zh: "更新时间", en: "Updated" },
  // depot_stock
  depot_id: { zh: "储备库", en: "Depot" },
  item_code: { zh: "物资", en: "Item" },
  quantity: { zh: "数量", en: "Quantity" },
  reorder_level: { zh: "补库下限", en: "Reorder level" },
  expires_on: { zh: "有效期至", en: "Expires on" },
  // users and api_tokens
  username: { zh: "用户名", en: "User name" },
  display_name: { zh: "姓名", en: "Display name" },
  roles: { zh: "角色", en: "Roles" },
  townships: { zh: "负责乡镇", en: "Townships" },
  disabled: { zh: "已停用", en: "Disabled" },
  user_id: { zh: "所属用户", en: "Account" },
  name: { zh: "名称", en: "Name" },
  revoked_at: { zh: "吊销时间", en: "Revoked" },
  // what an export records
  format: { zh: "格式", en: "Format" },
  bbox: { zh: "范围", en: "Extent" },
  q: { zh: "名称包含", en: "Name contains" },
  filters: { zh: "筛选条件", en: "Filters" },
  fields: { zh: "导出字段", en: "Fields exported" },
  lang: { zh: "表头语言", en: "Header language" },
  // what an import records
  dry_run: { zh: "试导入", en: "Dry run" },
  crs: { zh: "坐标系", en: "Coordinate system" },
  rows: { zh: "行数", en: "Rows" },
  inserted: { zh: "新增", en: "Inserted" },
  updated: { zh: "更新", en: "Updated" },
  unchanged: { zh: "未变", en: "Unchanged" },
  left_out: { zh: "略过", en: "Left out" },
  rejected: { zh: "被拒绝", en: "Rejected" },
  warnings: { zh: "提示", en: "Warnings" },
};

/** The languages an export's headers were asked in. */
export const LANGUAGES: Record<string, Label> = { zh: { zh: "中文", en: "Chinese" }, en: { zh: "英文", en: "English" } };
