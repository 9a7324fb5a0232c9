"""Survey exports of every supported layout, read into one model (see survey_model)."""

from .detect import LAYOUTS
from .errors import SurveyError
from .loader import detect_layout, load_survey

__all__ = ["LAYOUTS", "SurveyError", "detect_layout", "load_survey"]
