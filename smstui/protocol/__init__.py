"""The gateway's rules and wire formats: pure, synchronous, no I/O (the one place a rule lives)."""

from .auth import make_secret, make_stamp, md5_upper, password_matches, soap_password_matches, stamp_fresh
from .balance_reply import Balance, make_balance, parse_balance, parse_balance_json, render_balance
from .batch import BatchRow, decode_batch, encode_batch
from .beijing import (
    BEIJING,
    beijing_now,
    format_send_time,
    parse_gateway_time,
    parse_send_time,
    parse_soap_time,
    to_beijing,
)
from .billing import MMS_COST_PER_RECIPIENT, cost, mms_cost, shortfall
from .boxes import (
    PushBody,
    QueryReply,
    Report,
    Uplink,
    looks_like_html,
    parse_push,
    parse_reports,
    parse_reports_json,
    parse_uplinks,
    parse_uplinks_json,
    render_query_error,
    render_reports,
    render_uplinks,
    salvage_reports,
    salvage_uplinks,
)
from .codes import RESULT_CODES, ResultCode, code_for_message, describe, lookup
from .content import Problem, broken_characters, is_verification, validate_content
from .controls import control_characters, describe_controls, show_controls
from .encrypted_reply import EncryptedSendResult, parse_encrypted_reply, render_encrypted_reply
from .errors import BatchFormatError, EncodeError, GatewayReplyError, TemplateError, Text64Error, TmsError
from .extno import check_extno
from .keyword_reply import KeywordCheck, parse_check_keyword, parse_check_keyword_json, render_check_keyword
from .length import MAX_CONTENT_LENGTH, normalise_newlines, segments, segments_for_length, text_length
from .mms_size import MmsSize, PartSize, SlideShape, mms_size, text_bytes
from .mobiles import DuplicateEntry, InvalidEntry, MobileList, all_plain, is_mobile, normalise_mobile, parse_mobiles
from .optout import OPTOUT_WORDS, is_optout
from .password_reply import (
    PasswordResult,
    check_new_password,
    parse_password_reply,
    password_doubt,
    render_password_reply,
)
from .requests import (
    TRANSPORTS,
    Credentials,
    GatewayRequest,
    Transport,
    build_balance,
    build_batch_send,
    build_check_keyword,
    build_encrypted_send,
    build_mms_send,
    build_password_change,
    build_reports_query,
    build_send,
    build_soap_send,
    build_template_add,
    build_template_delete,
    build_template_query,
    build_template_update,
    build_uplinks_query,
    merge_params,
)
from .rules import RuleViolation, SentRecord, check_send_rules
from .schedule import check_schedule
from .send_reply import SendResult, parse_send_result, parse_send_result_json, render_send_result
from .signature import Signature, find_signature
from .soap import (
    SoapSendRequest,
    SoapSendResult,
    parse_soap_request,
    parse_soap_send_result,
    render_soap_fault,
    render_soap_send_result,
    render_wsdl,
)
from .template_reply import TemplateReply, parse_template_reply, render_template_reply
from .templates import (
    Comparison,
    Departure,
    Template,
    TemplateIndex,
    TemplateStatus,
    Variable,
    compare,
    filled_lengths,
    match_template,
    template_variables,
    validate_template,
)
from .text64 import decode_text64, encode_text64
from .tms import (
    MAX_MMS_BYTES,
    Slide,
    SmilSlide,
    TmsPart,
    build_smil,
    check_tms,
    image_type,
    layout,
    pack_mms,
    pack_tms,
    unpack_tms,
)

__all__ = [
    n
    for n, v in dict(globals()).items()
    if not n.startswith("_") and not hasattr(v, "__path__") and type(v).__name__ != "module"
]
