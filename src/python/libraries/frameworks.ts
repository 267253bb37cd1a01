/**
 * How Python request and event handlers are recognised: web routes (Flask, Quart, FastAPI,
 * Starlette, Sanic, aiohttp, Django), bot commands and event listeners (discord.py, aiogram,
 * python-telegram-bot). A handler runs once per request, message or event, so whatever it opens it
 * opens that often.
 */

/** Web frameworks whose app/router objects register request handlers with decorators. */
export const APP_CLASSES: ReadonlySet<string> = new Set([
  'flask.Flask', 'flask.Blueprint', 'fastapi.FastAPI', 'fastapi.APIRouter', 'quart.Quart', 'quart.Blueprint', 'sanic.Sanic', 'sanic.Blueprint', 'starlette.applications.Starlette',
]);

/** `@app.<method>(...)` on a known app object makes a route. */
export const ROUTE_METHODS: ReadonlySet<string> = new Set(['route', 'get', 'post', 'put', 'patch', 'delete', 'head', 'options', 'api_route', 'websocket']);

/**
 * `@<anything>.<method>("/path", ...)`: a route method whose first argument is a URL path is a route
 * whatever the object (a Blueprint imported from another module, a router made by a factory).
 */
export const PATH_ROUTE_METHODS: ReadonlySet<string> = ROUTE_METHODS;

/** Decorators that by themselves make a function a request or command handler. */
export const HANDLER_DECORATORS: ReadonlySet<string> = new Set([
  'rest_framework.decorators.api_view', 'django.views.decorators.http.require_http_methods', 'django.views.decorators.http.require_GET',
  'django.views.decorators.http.require_POST', 'django.views.decorators.http.require_safe',
  'discord.ext.commands.command', 'discord.ext.commands.hybrid_command', 'discord.app_commands.command', 'discord.ext.commands.Cog.listener',
]);

/**
 * `@<object>.<method>(...)` of bot frameworks: discord.py `@bot.command()`, `@bot.tree.command()`,
 * `@commands.Cog.listener()`; aiogram `@dp.message_handler()`, `@router.message()`; Sanic/aiohttp
 * style `@routes.get(...)` is covered by the path check.
 */
export const HANDLER_DECORATOR_METHODS: ReadonlySet<string> = new Set([
  'command', 'hybrid_command', 'listener', 'message_handler', 'callback_query_handler', 'inline_handler', 'edited_message_handler',
  'channel_post_handler', 'chosen_inline_handler', 'message', 'callback_query', 'inline_query', 'edited_message', 'channel_post',
]);

/** `@bot.event` registers `on_<event>` coroutines (discord.py): one call per event. */
export const EVENT_DECORATOR_METHOD = 'event';

/** Parameter annotations that only a handler receives (its request, message or interaction). */
export const HANDLER_PARAMETER_TYPES: ReadonlySet<string> = new Set([
  'aiogram.types.Message', 'aiogram.types.CallbackQuery', 'aiogram.types.InlineQuery', 'aiogram.types.message.Message',
  'telegram.Update', 'discord.Interaction', 'discord.Message', 'discord.ext.commands.Context',
  'starlette.requests.Request', 'fastapi.Request', 'django.http.HttpRequest', 'aiohttp.web.Request', 'flask.Request',
]);

/** Calls that register their function argument as a handler: `dp.register_message_handler(fn)`, `CommandHandler("x", fn)`. */
export const HANDLER_REGISTRATION_METHODS: ReadonlySet<string> = new Set([
  'register_message_handler', 'register_callback_query_handler', 'register_inline_handler', 'add_url_rule', 'add_api_route', 'add_route', 'add_command',
]);
export const HANDLER_REGISTRATION_CLASSES: ReadonlySet<string> = new Set([
  'telegram.ext.CommandHandler', 'telegram.ext.MessageHandler', 'telegram.ext.CallbackQueryHandler', 'telegram.ext.InlineQueryHandler',
]);

/** FastAPI's dependency marker: `Depends(fn)` calls `fn` once per request. */
export const DEPENDENCY_MARKERS: ReadonlySet<string> = new Set(['fastapi.Depends', 'fastapi.params.Depends', 'fastapi.Security']);

/**
 * Decorators that cache a function's result (Flask-Caching `@cache.cached`, `@cache.memoize`,
 * `functools.lru_cache`/`cache`): its body runs once per key or per timeout, not on every call.
 */
export const CACHING_DECORATOR_NAMES: ReadonlySet<string> = new Set(['cached', 'memoize', 'lru_cache', 'cache', 'cached_property', 'alru_cache']);
