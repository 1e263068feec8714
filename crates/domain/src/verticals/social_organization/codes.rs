//! The machine codes this area mints (the generic ones are in [`crate::codes`]); the tidy test
//! `every_code_the_source_mints_is_in_one_table` holds every code the area's folders mint to a row
//! here or there. A row: `CONST = "code", HTTP status (`-` if never one), "meaning";`.

crate::codes::codes! {
    BRANCH_NOT_ALLOWED = "branch_not_allowed", 422, "民办非企业单位不得设立分支机构";
    BRANCH_OF_BRANCH = "branch_of_branch", 422, "分支机构、代表机构不得再设立分支机构";
    REGIONAL_BRANCH = "regional_branch", 422, "社会团体不得设立地域性的分支机构";
    SOCIAL_ORG_CONDITIONS_NOT_MET = "social_org_conditions_not_met", 422, "…";
    SOCIAL_ORG_SPONSOR_REQUIRED = "social_org_sponsor_required", 422, "未经业务主管单位审查同意；行业协会商会类、科技类、公益慈善类、城乡社区服务类以外的社会组织不能直接登记";
    SOCIAL_ORG_MEMBERS_INSUFFICIENT = "social_org_members_insufficient", 422, "…";
    SOCIAL_ORG_FUNDS_INSUFFICIENT = "social_org_funds_insufficient", 422, "开办资金应当为与其业务活动相适应的合法财产，不能为零";
    SOCIAL_ORG_CATEGORY_UNKNOWN = "social_org_category_unknown", 422, "直接登记的类别不在行业协会商会类、科技类、公益慈善类、城乡社区服务类之中";
    SOCIAL_ORG_NOT_LIQUIDATED = "social_org_not_liquidated", 422, "未填写清算结束日期：应当先清算，再申请注销登记";
    SOCIAL_ORG_NEW_VALUE_REQUIRED = "social_org_new_value_required", 422, "请填写变更后的名称、住所或法定代表人姓名";
    SOCIAL_ORG_TYPE_UNKNOWN = "social_org_type_unknown", 422, "本事项不是社会团体、民办非企业单位或基金会的登记";
    YEAR_INVALID = "year_invalid", 422, "年度应为2000至2100之间的年份";
    RESULT_UNKNOWN = "result_unknown", 422, "年检结论应为合格、基本合格或不合格";
    DATE_FUTURE = "date_future", 422, "完成日期不能晚于今天";
    DATE_BEFORE_YEAR = "date_before_year", 422, "报送日期早于该年度的年检";
    SEPARATION_UNKNOWN = "separation_unknown", 422, "分离事项应为机构、职能、资产财务、人员管理、党建外事之一";
    ORG_TYPE_UNKNOWN = "org_type_unknown", 422, "类型应为社会团体、民办非企业单位或基金会";
    STATUS_UNKNOWN = "status_unknown", 422, "状态应为正常、撤销或注销";
    BRANCH_KIND_UNKNOWN = "branch_kind_unknown", 422, "请选择分支机构或代表机构";
    REGIONAL_UNKNOWN = "regional_unknown", 422, "请选择是否按行政区域设立";
    BRANCH_UNKNOWN = "branch_unknown", 422, "该社会组织没有这个分支机构";
    BRANCH_NAME_TAKEN = "branch_name_taken", 409, "该社会组织已有同名的分支机构、代表机构";
    ORG_NOT_REGISTERED = "org_not_registered", 409, "该社会组织已被撤销或注销，不能设立分支机构、代表机构";
    FOUNDATION_AUTHORITY = "foundation_authority", 422, "基金会由国务院民政部门或者省级人民政府民政部门登记";
    BRANCH_CLOSED = "branch_closed", 409, "该分支机构、代表机构已经注销";
    CLOSED_BEFORE_OPENED = "closed_before_opened", 422, "注销日期早于设立日期";
    SOCIAL_GROUP_INSPECTION = "social_group_inspection", -, "立案依据：社会团体不按照规定接受年度检查（社会团体登记管理条例第三十条）";
    PRIVATE_NON_ENTERPRISE_INSPECTION = "private_non_enterprise_inspection", -, "立案依据：民办非企业单位不按照规定接受年度检查（民办非企业单位登记管理暂行条例第二十五条）";
    FOUNDATION_INSPECTION = "foundation_inspection", -, "立案依据：基金会未按照规定接受年度检查（基金会管理条例第四十二条）";
    SEPARATION_RECORDED = "separation_recorded", 409, "该分离事项已登记完成，不能重复登记";
    FOUNDATION_KIND_UNKNOWN = "foundation_kind_unknown", 422, "基金会的类型应为全国性公募基金会、地方性公募基金会或者非公募基金会";
    ORG_NOT_LISTED = "org_not_listed", 422, "所选社会组织不在该年度逾期未报送名单中，不能据此立案";
    FILED_BEFORE_DEADLINE = "filed_before_deadline", 422, "立案日期应在报送登记管理机关的截止日之后";
    CHOICE_UNKNOWN = "choice_unknown", 422, "请从名单中选择社会组织或执法人员";
}
