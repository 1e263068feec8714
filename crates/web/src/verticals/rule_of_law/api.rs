//! The JSON API of the registers under `/api/v1/rule-of-law/…`: list (by year and division),
//! add, read, change a record; export a register as xlsx and import one (multipart); and what
//! the annual report of a year reads. Thin: the service checks access and the domain's parser
//! every value, the form's and every imported row's alike.

use std::collections::BTreeMap;

use axum::extract::{FromRequest, Multipart, Request, State};
use axum::http::{header, StatusCode};
use axum::response::IntoResponse;
use axum::Json;
use domain::problem::FieldError;
use domain::verticals::rule_of_law::Register;
use serde::{Deserialize, Serialize};
use service::verticals::rule_of_law::{record_href, ImportOutcome, RecordRow, RowProblem, RuleOfLawYear};
use utoipa::{IntoParams, ToSchema};

use crate::dto::ErrorBody;
use crate::error::{AppError, AppResult};
use crate::extract::{AppJson, AppPath, AppQuery, AuthUser};
use crate::AppState;

pub(super) const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// The register named in the path, or 404.
pub(super) fn register_of(slug: &str) -> Result<Register, AppError> {
    Register::parse(slug).ok_or_else(|| AppError::new(StatusCode::NOT_FOUND, "register_unknown", "没有这个台账"))
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// Only the records counting in this year (dated in it, or a membership or engagement
    /// overlapping it), e.g. 2021.
    pub year: Option<i32>,
    /// Only the records at or below this division (its code).
    pub division: Option<String>,
}

/// A record's values by field key (the register's fields: `GET /api/v1/rule-of-law/registers`).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = RuleOfLawRecordBody)]
pub struct RecordBody {
    /// Every value as text: dates `YYYY-MM-DD`, choices by key or Chinese name, 是/否 as
    /// `yes`/`no`, divisions by code.
    pub fields: BTreeMap<String, String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = RuleOfLawChangeBody)]
pub struct ChangeBody {
    pub fields: BTreeMap<String, String>,
    /// The record's revision the client read: changed since is 409 `rule_of_law_conflict`.
    pub expected_revision: i64,
}

#[derive(Debug, Serialize, ToSchema)]
#[schema(as = RuleOfLawShownValueDto)]
pub struct ShownValueDto {
    pub key: String,
    pub label: String,
    /// As a reader sees it (a choice's Chinese name, a division's full name).
    pub value: String,
}

#[derive(Debug, Serialize, ToSchema)]
#[schema(as = RuleOfLawRecordDto)]
pub struct RecordDto {
    pub id: i64,
    pub revision: i64,
    pub register: String,
    pub register_name: String,
    pub date: String,
    pub until: Option<String>,
    pub label: String,
    pub division: String,
    pub division_name: String,
    /// The record's page.
    pub href: String,
    /// The canonical values by field key (what the API accepts back).
    pub fields: BTreeMap<String, String>,
    pub shown: Vec<ShownValueDto>,
}

impl From<&RecordRow> for RecordDto {
    fn from(r: &RecordRow) -> RecordDto {
        let e = &r.entry;
        RecordDto {
            id: r.id,
            revision: r.revision,
            register: e.register.as_str().into(),
            register_name: e.register.name_zh().into(),
            date: e.date.to_string(),
            until: e.until.map(|d| d.to_string()),
            label: e.label(),
            division: e.division.to_string(),
            division_name: e.shown("division"),
            href: record_href(r.id),
            fields: e.values.clone(),
            shown: e
                .register
                .fields()
                .iter()
                .map(|f| ShownValueDto { key: f.key.into(), label: f.label.into(), value: e.shown(f.key) })
                .collect(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
#[schema(as = RuleOfLawListDto)]
pub struct ListDto {
    pub register: String,
    pub register_name: String,
    pub items: Vec<RecordDto>,
}

#[derive(Debug, Serialize, ToSchema)]
#[schema(as = RuleOfLawFieldDto)]
pub struct FieldDto {
    pub key: String,
    /// The form's label and the workbook's column header.
    pub label: String,
    /// text | date | count | choice | division | yes_no | certificate
    pub kind: String,
    pub required: bool,
    /// A choice's (key, name) pairs.
    pub choices: Vec<(String, String)>,
    /// A text's longest length, a count's largest value.
    pub max: Option<i64>,
}

#[derive(Debug, Serialize, ToSchema)]
#[schema(as = RuleOfLawRegisterDto)]
pub struct RegisterDto {
    pub register: String,
    pub name: String,
    pub fields: Vec<FieldDto>,
}

#[derive(Debug, Serialize, ToSchema)]
#[schema(as = RuleOfLawRegistersDto)]
pub struct RegistersDto {
    pub items: Vec<RegisterDto>,
}

#[derive(Debug, Serialize, ToSchema)]
#[schema(as = RuleOfLawImportedDto)]
pub struct ImportedDto {
    pub imported: usize,
    pub ids: Vec<i64>,
}

#[derive(Debug, Serialize, ToSchema)]
#[schema(as = RuleOfLawYearRecordDto)]
pub struct YearRecordDto {
    pub id: i64,
    pub date: String,
    pub label: String,
    pub division: String,
    pub href: String,
}

#[derive(Debug, Serialize, ToSchema)]
#[schema(as = RuleOfLawYearRegisterDto)]
pub struct YearRegisterDto {
    pub register: String,
    pub name: String,
    pub count: usize,
    pub records: Vec<YearRecordDto>,
}

#[derive(Debug, Serialize, ToSchema)]
#[schema(as = RuleOfLawCredentialDto)]
pub struct CredentialDto {
    pub officer_id: i64,
    pub name: String,
    pub certificate_no: String,
    pub valid_from: String,
    pub valid_until: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RuleOfLawYearDto {
    pub year: i32,
    pub registers: Vec<YearRegisterDto>,
    /// The officers of the enforcement register whose credential was valid in the year.
    pub credentials: Vec<CredentialDto>,
}

impl From<RuleOfLawYear> for RuleOfLawYearDto {
    fn from(y: RuleOfLawYear) -> RuleOfLawYearDto {
        RuleOfLawYearDto {
            year: y.year,
            registers: y
                .registers
                .into_iter()
                .map(|(r, records)| YearRegisterDto {
                    register: r.as_str().into(),
                    name: r.name_zh().into(),
                    count: records.len(),
                    records: records
                        .into_iter()
                        .map(|x| YearRecordDto {
                            id: x.id,
                            date: x.date.to_string(),
                            label: x.label,
                            division: x.division,
                            href: x.href,
                        })
                        .collect(),
                })
                .collect(),
            credentials: y
                .credentials
                .into_iter()
                .map(|c| CredentialDto {
                    officer_id: c.officer_id,
                    name: c.name,
                    certificate_no: c.certificate_no,
                    valid_from: c.valid_from.to_string(),
                    valid_until: c.valid_until.to_string(),
                })
                .collect(),
        }
    }
}

fn field_dto(f: &domain::verticals::rule_of_law::Field) -> FieldDto {
    use domain::verticals::rule_of_law::FieldKind as K;
    let (kind, choices, max) = match f.kind {
        K::Text(max) => ("text", Vec::new(), Some(max as i64)),
        K::Date => ("date", Vec::new(), None),
        K::Count(max) => ("count", Vec::new(), Some(max)),
        K::Choice(c) => ("choice", c.iter().map(|(k, n)| (k.to_string(), n.to_string())).collect(), None),
        K::Division => ("division", Vec::new(), None),
        K::YesNo => ("yes_no", vec![("yes".into(), "是".into()), ("no".into(), "否".into())], None),
        K::Certificate => ("certificate", Vec::new(), Some(40)),
    };
    FieldDto { key: f.key.into(), label: f.label.into(), kind: kind.into(), required: f.required, choices, max }
}

/// The registers and their fields (what a record of each holds).
#[utoipa::path(
    get,
    path = "/api/v1/rule-of-law/registers",
    tag = "rule_of_law",
    security(("bearer" = []), ("cookie" = [])),
    responses(
        (status = 200, description = "台账及其各列", body = RegistersDto),
        (status = 401, description = "未登录", body = ErrorBody),
    )
)]
pub async fn registers(_user: AuthUser) -> Json<RegistersDto> {
    Json(RegistersDto {
        items: Register::ALL
            .into_iter()
            .map(|r| RegisterDto {
                register: r.as_str().into(),
                name: r.name_zh().into(),
                fields: r.fields().iter().map(field_dto).collect(),
            })
            .collect(),
    })
}

/// The records of a register in the caller's jurisdiction.
#[utoipa::path(
    get,
    path = "/api/v1/rule-of-law/{register}/records",
    tag = "rule_of_law",
    security(("bearer" = []), ("cookie" = [])),
    params(("register" = String, Path, description = "台账：leading-group | study | training | exam | publicity | villages | advisers | openness"), ListQuery),
    responses(
        (status = 200, description = "台账记录", body = ListDto),
        (status = 400, description = "查询参数格式错误", body = ErrorBody),
        (status = 401, description = "未登录", body = ErrorBody),
        (status = 403, description = "无查阅权限", body = ErrorBody),
        (status = 404, description = "没有这个台账（`register_unknown`）", body = ErrorBody),
        (status = 422, description = "年度或行政区划无效", body = ErrorBody),
    )
)]
pub async fn list(
    State(state): State<AppState>,
    user: AuthUser,
    AppPath(register): AppPath<String>,
    AppQuery(query): AppQuery<ListQuery>,
) -> AppResult<Json<ListDto>> {
    let register = register_of(&register)?;
    let rows = state.app.rule_of_law_list(&user.actor, register, query.year, query.division.as_deref()).await?;
    Ok(Json(ListDto {
        register: register.as_str().into(),
        register_name: register.name_zh().into(),
        items: rows.iter().map(RecordDto::from).collect(),
    }))
}

/// Adds a record to a register.
#[utoipa::path(
    post,
    path = "/api/v1/rule-of-law/{register}/records",
    tag = "rule_of_law",
    security(("bearer" = []), ("cookie" = [])),
    params(("register" = String, Path, description = "台账")),
    request_body = RecordBody,
    responses(
        (status = 201, description = "已登记", body = RecordDto),
        (status = 400, description = "请求体格式错误", body = ErrorBody),
        (status = 401, description = "未登录", body = ErrorBody),
        (status = 403, description = "无登记权限或不在管辖范围内", body = ErrorBody),
        (status = 404, description = "没有这个台账", body = ErrorBody),
        (status = 422, description = "逐项 `problems`：必填、日期、数字、选项、行政区划、执法证号（`certificate_not_registered`）", body = ErrorBody),
    )
)]
pub async fn add(
    State(state): State<AppState>,
    user: AuthUser,
    AppPath(register): AppPath<String>,
    AppJson(body): AppJson<RecordBody>,
) -> AppResult<(StatusCode, Json<RecordDto>)> {
    let register = register_of(&register)?;
    let id = state.app.rule_of_law_add(&user.actor, register, &body.fields).await?;
    let row = state.app.rule_of_law_record(&user.actor, id).await?;
    Ok((StatusCode::CREATED, Json(RecordDto::from(&row))))
}

/// One record.
#[utoipa::path(
    get,
    path = "/api/v1/rule-of-law/records/{id}",
    tag = "rule_of_law",
    security(("bearer" = []), ("cookie" = [])),
    params(("id" = i64, Path, description = "记录编号")),
    responses(
        (status = 200, description = "台账记录", body = RecordDto),
        (status = 400, description = "编号格式错误", body = ErrorBody),
        (status = 401, description = "未登录", body = ErrorBody),
        (status = 403, description = "不在管辖范围内", body = ErrorBody),
        (status = 404, description = "记录不存在", body = ErrorBody),
    )
)]
pub async fn get(
    State(state): State<AppState>,
    user: AuthUser,
    AppPath(id): AppPath<i64>,
) -> AppResult<Json<RecordDto>> {
    Ok(Json(RecordDto::from(&state.app.rule_of_law_record(&user.actor, id).await?)))
}

/// Changes a record (its register stays).
#[utoipa::path(
    put,
    path = "/api/v1/rule-of-law/records/{id}",
    tag = "rule_of_law",
    security(("bearer" = []), ("cookie" = [])),
    params(("id" = i64, Path, description = "记录编号")),
    request_body = ChangeBody,
    responses(
        (status = 200, description = "已修改", body = RecordDto),
        (status = 400, description = "请求体格式错误", body = ErrorBody),
        (status = 401, description = "未登录", body = ErrorBody),
        (status = 403, description = "无登记权限或不在管辖范围内", body = ErrorBody),
        (status = 404, description = "记录不存在", body = ErrorBody),
        (status = 409, description = "`rule_of_law_conflict`：记录已被他人修改", body = ErrorBody),
        (status = 422, description = "逐项 `problems`", body = ErrorBody),
    )
)]
pub async fn change(
    State(state): State<AppState>,
    user: AuthUser,
    AppPath(id): AppPath<i64>,
    AppJson(body): AppJson<ChangeBody>,
) -> AppResult<Json<RecordDto>> {
    let row = state.app.rule_of_law_change(&user.actor, id, body.expected_revision, &body.fields).await?;
    Ok(Json(RecordDto::from(&row)))
}

/// A register as an Excel workbook (Chinese headers; the file the import reads back).
#[utoipa::path(
    get,
    path = "/api/v1/rule-of-law/{register}/records.xlsx",
    tag = "rule_of_law",
    security(("bearer" = []), ("cookie" = [])),
    params(("register" = String, Path, description = "台账"), ListQuery),
    responses(
        (status = 200, description = "xlsx 文件",
         content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", body = Vec<u8>),
        (status = 400, description = "查询参数格式错误", body = ErrorBody),
        (status = 401, description = "未登录", body = ErrorBody),
        (status = 403, description = "无查阅权限", body = ErrorBody),
        (status = 404, description = "没有这个台账", body = ErrorBody),
        (status = 422, description = "年度或行政区划无效", body = ErrorBody),
    )
)]
pub async fn export(
    State(state): State<AppState>,
    user: AuthUser,
    AppPath(register): AppPath<String>,
    AppQuery(query): AppQuery<ListQuery>,
) -> AppResult<impl IntoResponse> {
    let register = register_of(&register)?;
    let rows = state.app.rule_of_law_list(&user.actor, register, query.year, query.division.as_deref()).await?;
    let bytes = super::xlsx::workbook(register, &rows).map_err(|e| AppError::internal(format!("xlsx: {e}")))?;
    let name = super::xlsx::file_name(register, query.year);
    let headers = [
        (header::CONTENT_TYPE, XLSX.to_string()),
        (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}\"")),
    ];
    Ok((headers, bytes))
}

/// The upload form of an import (`multipart/form-data`).
#[derive(ToSchema)]
#[schema(as = RuleOfLawImportUpload)]
#[allow(dead_code)] // documents the body; the handler reads the parts itself
pub struct ImportUpload {
    /// The workbook (.xlsx): its first sheet, the register's headers in row 1.
    #[schema(value_type = String, format = Binary)]
    file: Vec<u8>,
}

/// The file of an upload: its `file` part (and, from a page, `csrf_token`). Any other part is
/// refused, as JSON bodies refuse unknown fields.
pub(super) async fn read_upload(
    request: Request,
    state: &AppState,
    page: bool,
) -> Result<(Vec<u8>, Option<String>), AppError> {
    let bad =
        || AppError::new(StatusCode::BAD_REQUEST, "invalid_multipart", "上传请求的格式不正确（multipart/form-data）");
    let is_multipart = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(';').next().unwrap_or("").trim().eq_ignore_ascii_case("multipart/form-data"));
    if !is_multipart {
        return Err(AppError::unsupported_media_type("multipart/form-data"));
    }
    let mut multipart = Multipart::from_request(request, state).await.map_err(|_| bad())?;
    let mut file = None;
    let mut csrf = None;
    while let Some(field) = multipart.next_field().await.map_err(|e| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            AppError::body_too_large()
        } else {
            bad()
        }
    })? {
        match field.name().unwrap_or("") {
            "file" if file.is_none() => file = Some(field.bytes().await.map_err(|_| bad())?.to_vec()),
            "csrf_token" if page => csrf = Some(field.text().await.map_err(|_| bad())?),
            other => return Err(bad().with_field(other.chars().take(64).collect::<String>())),
        }
    }
    Ok((file.unwrap_or_default(), csrf))
}

/// The problems of an import as one refusal: each named by its row and its column header.
pub(super) fn refusal(register: Register, problems: Vec<RowProblem>) -> AppError {
    let mut err = AppError::new(
        StatusCode::UNPROCESSABLE_ENTITY,
        "import_rows_invalid",
        format!("工作簿有{}处错误，未导入任何记录", problems.len()),
    );
    err.problems = problems
        .into_iter()
        .map(|p| {
            let column = super::xlsx::column_of(register, &p.problem.field);
            FieldError::new(
                &format!("rows[{}].{}", p.row, p.problem.field),
                p.problem.code,
                format!("第{}行“{}”：{}", p.row, column, p.problem.message),
            )
        })
        .collect();
    err
}

/// Imports a workbook into a register: every row is checked as the form checks it; any
/// problem imports nothing and answers every problem by row and column.
#[utoipa::path(
    post,
    path = "/api/v1/rule-of-law/{register}/import",
    tag = "rule_of_law",
    security(("bearer" = []), ("cookie" = [])),
    params(("register" = String, Path, description = "台账")),
    request_body(content = ImportUpload, content_type = "multipart/form-data", description = "`file`：导出的同格式工作簿（.xlsx），第一行为表头"),
    responses(
        (status = 201, description = "已全部导入", body = ImportedDto),
        (status = 400, description = "上传请求的格式不正确（`invalid_multipart`）", body = ErrorBody),
        (status = 401, description = "未登录", body = ErrorBody),
        (status = 403, description = "无登记权限", body = ErrorBody),
        (status = 404, description = "没有这个台账", body = ErrorBody),
        (status = 413, description = "文件过大", body = ErrorBody),
        (status = 415, description = "请求体类型不是 multipart/form-data", body = ErrorBody),
        (status = 422, description = "`import_rows_invalid`：未导入任何记录；`problems` 逐项为“第N行‘列名’：错误”，`field` 为 `rows[N].字段`；或行数过多", body = ErrorBody),
    )
)]
pub async fn import(
    State(state): State<AppState>,
    user: AuthUser,
    AppPath(register): AppPath<String>,
    request: Request,
) -> AppResult<(StatusCode, Json<ImportedDto>)> {
    let register = register_of(&register)?;
    // Who may not import is refused before the body is read.
    state.app.rule_of_law_check_writer(&user.actor)?;
    let (bytes, _) = read_upload(request, &state, false).await?;
    let rows = super::xlsx::read(register, &bytes).map_err(|p| refusal(register, p))?;
    match state.app.rule_of_law_import(&user.actor, register, &rows).await? {
        ImportOutcome::Imported(ids) => Ok((StatusCode::CREATED, Json(ImportedDto { imported: ids.len(), ids }))),
        ImportOutcome::Refused(problems) => Err(refusal(register, problems)),
    }
}

/// What the annual report of a year reads from the registers, with the records each counts.
#[utoipa::path(
    get,
    path = "/api/v1/rule-of-law/years/{year}",
    tag = "rule_of_law",
    security(("bearer" = []), ("cookie" = [])),
    params(("year" = i32, Path, description = "年度，如 2021")),
    responses(
        (status = 200, description = "各台账本年度的记录与持有执法证的人员", body = RuleOfLawYearDto),
        (status = 400, description = "年度格式错误", body = ErrorBody),
        (status = 401, description = "未登录", body = ErrorBody),
        (status = 403, description = "无查阅权限", body = ErrorBody),
        (status = 422, description = "年度应在2000年至2100年之间", body = ErrorBody),
    )
)]
pub async fn year(
    State(state): State<AppState>,
    user: AuthUser,
    AppPath(year): AppPath<i32>,
) -> AppResult<Json<RuleOfLawYearDto>> {
    Ok(Json(state.app.rule_of_law_year(&user.actor, year).await?.into()))
}
