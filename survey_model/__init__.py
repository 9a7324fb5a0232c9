"""The survey model every layer shares: surveys, questions and answers, whatever export they came from."""

from survey_model.survey import GRID_TYPES, Question, QuestionType, Survey, SurveyMeta

__all__ = ["GRID_TYPES", "Question", "QuestionType", "Survey", "SurveyMeta"]
