//! The machine codes this area mints (the generic ones are in [`crate::codes`]); the tidy test
//! `every_code_the_source_mints_is_in_one_table` holds every code the area's folders mint to a row
//! here or there. A row: `CONST = "code", HTTP status (`-` if never one), "meaning";`.

crate::codes::codes! {
    ALREADY_DECEASED = "already_deceased", 409, "该人员已于 … 记录死亡";
    ALREADY_MARRIED = "already_married", 422, "…自 … 起已有配偶（婚姻登记信息记录），不予结婚登记";
    APPLICANT_DECEASED = "applicant_deceased", 422, "申请人已登记死亡，不能以其名义提出新的申请";
    DEATH_BEFORE_BIRTH = "death_before_birth", 422, "死亡日期早于出生日期";
    DEATH_BEFORE_REGISTRATION = "death_before_registration", 422, "死亡日期早于该人员 … 的婚姻登记记录，请核对来源文书";
    DECLARATION_MISSING = "declaration_missing", 422, "双方未签署本人无配偶以及与对方当事人没有直系血亲和三代以内旁系血亲关系的声明";
    IMPORT_CERTIFICATE_EXISTS = "import_certificate_exists", 409, "文件中的证书编号已在登记记录中，未导入任何记录";
    IMPORT_HEADER = "import_header", 422, "第1行应为表头：…";
    INVALID_ID_NUMBER = "invalid_id_number", 422, "公民身份号码无效";
    MARITAL_STATUS_CHANGED = "marital_status_changed", 409, "当事人的婚姻状况刚被另一登记改变，请重新核验";
    MATERIALS_MISSING = "materials_missing", 422, "尚未收到：…";
    NO_DIVORCE_ON_RECORD = "no_divorce_on_record", 422, "婚姻登记信息中没有申请人的离婚登记，不能补领离婚证";
    NO_MARRIAGE_ON_RECORD = "no_marriage_on_record", 422, "婚姻登记信息中没有申请人现存的结婚登记，不能补领结婚证";
    NOT_MARRIED_TO_EACH_OTHER = "not_married_to_each_other", 422, "婚姻登记信息记录显示双方不是夫妻，不能办理离婚登记";
    OFFICE_NOT_COMPETENT = "office_not_competent", 422, "本机关对该登记没有管辖权";
    OTHER_PARTY_INVALID = "other_party_invalid", 422, "另一方当事人的信息无效";
    OTHER_PARTY_REQUIRED = "other_party_required", 422, "请填写另一方当事人的姓名和公民身份号码";
    OTHER_PARTY_UNKNOWN = "other_party_unknown", 422, "所选的另一方当事人未登记，请先登记当事人信息";
    PARTY_DECEASED = "party_deceased", 422, "…已于 … 死亡（记录）";
    PERSON_RECORD_INCOMPLETE = "person_record_incomplete", 422, "人员记录缺少性别或出生日期";
    REGISTRY_CHECK_NOT_PERMITTED = "registry_check_not_permitted", 422, "核验另一方当事人的婚姻登记信息须由受理婚姻登记机关的工作人员办理";
    SAME_PERSON = "same_person", 422, "双方当事人不能是同一人";
    SAME_SEX = "same_sex", 422, "结婚登记须由男女双方申请";
    SOURCE_DOCUMENT_REQUIRED = "source_document_required", 422, "请填写死亡信息的来源文书及编号";
    SOURCE_DOCUMENT_TOO_LONG = "source_document_too_long", 422, "来源文书不能超过…个字";
    UNDER_MARRIAGE_AGE = "under_marriage_age", 422, "…方未达法定婚龄：登记之日…周岁，须年满…周岁";
    WITHDRAWAL_PARTY_INVALID = "withdrawal_party_invalid", 422, "所选人员不是本件离婚登记的当事人，只有双方当事人之一可以撤回申请";
    WITHDRAWAL_PARTY_REQUIRED = "withdrawal_party_required", 422, "请选择撤回离婚登记申请的一方当事人";
    WITHDRAWAL_PERIOD_OVER = "withdrawal_period_over", 422, "离婚冷静期已于 … 届满，不能再撤回离婚登记申请；双方未在 … 前共同申请发给离婚证的，… 视为撤回";
}
