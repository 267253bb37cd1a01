import { test } from 'node:test';
import { py, ruleTable } from '../helpers';

ruleTable('require-pool-recycle', {
  valid: [
    { name: 'a URL read from the environment: its database is unknown (documented)', code: py`
      import os
      from sqlalchemy import create_engine
      engine = create_engine(os.environ["DATABASE_URL"])
    ` },
    { name: 'pool_pre_ping=True', code: py`
      from sqlalchemy import create_engine
      e = create_engine("mysql+pymysql://app@db/app", pool_pre_ping=True)
    ` },
    { name: 'pool_recycle below wait_timeout', code: py`
      from sqlalchemy import create_engine
      e = create_engine("mysql+pymysql://app@db/app", pool_recycle=3600)
    ` },
    { name: 'pool_recycle computed elsewhere', code: py`
      from sqlalchemy import create_engine
      RECYCLE = 1800
      e = create_engine("mysql+pymysql://app@db/app", pool_recycle=RECYCLE)
    ` },
    { name: 'NullPool keeps no idle connections', code: py`
      from sqlalchemy import create_engine
      from sqlalchemy.pool import NullPool
      e = create_engine("mysql+mysqldb://app@db/app?connect_timeout=5", poolclass=NullPool)
    ` },
    { name: 'PostgreSQL engine: MySQL wait_timeout does not apply', code: py`
      from sqlalchemy import create_engine
      e = create_engine("postgresql://app@db/app?connect_timeout=5")
    ` },
    { name: 'URL from the environment: dialect unknown', code: py`
      import os
      from sqlalchemy import create_engine
      e = create_engine(os.environ["DATABASE_URL"])
    ` },
    { name: 'options through **kwargs', code: py`
      from sqlalchemy import create_engine
      def make(opts):
          return create_engine("mysql+pymysql://app@db/app", **opts)
    ` },
    { name: 'mariadb with pre-ping', code: py`
      import sqlalchemy as sa
      e = sa.create_engine("mariadb+pymysql://app@db/app", pool_pre_ping=True, pool_recycle=-1)
    ` },
  ],
  invalid: [
    { name: 'a MySQL URL built at run time with its scheme written out (f-string)', code: py`
      import os
      from sqlalchemy import create_engine
      engine = create_engine(f"mysql+pymysql://{os.environ['DB_USER']}@db/app")
    `, line: 3, column: 10, message: 'neither pool_pre_ping nor pool_recycle is set' },
    { name: 'a MySQL URL from a module constant built by concatenation, pool_recycle=-1 (the default, off)', code: py`
      import os
      from sqlalchemy import create_engine
      URL = "mysql+mysqlconnector://root:" + os.environ["DB_PASSWORD"] + "@db/app"
      engine = create_engine(URL, pool_recycle=-1)
    `, line: 4, column: 10, message: "MySQL" },
    { name: 'pymysql engine without pre-ping or recycle', code: py`
      from sqlalchemy import create_engine
      e = create_engine("mysql+pymysql://app@db/app")
    `, line: 2, column: 5, message: 'neither pool_pre_ping nor pool_recycle is set', suggestion: py`
      from sqlalchemy import create_engine
      e = create_engine("mysql+pymysql://app@db/app", pool_pre_ping=True)
    ` },
    { name: 'default mysql driver (mysqlclient)', code: py`
      import sqlalchemy
      e = sqlalchemy.create_engine("mysql://app@db/app?connect_timeout=5", pool_size=10)
    `, line: 2, column: 5, message: '"MySQL server has gone away"', suggestion: py`
      import sqlalchemy
      e = sqlalchemy.create_engine("mysql://app@db/app?connect_timeout=5", pool_size=10, pool_pre_ping=True)
    ` },
    { name: 'pool_recycle=-1 (the default: never)', code: py`
      from sqlalchemy import create_engine
      e = create_engine("mysql+pymysql://app@db/app", pool_recycle=-1)
    `, line: 2, column: 5, message: 'neither pool_pre_ping nor pool_recycle is set' },
    { name: 'pool_recycle above wait_timeout', code: py`
      from sqlalchemy import create_engine
      e = create_engine("mysql+pymysql://app@db/app", pool_recycle=30000)
    `, line: 2, column: 5, message: 'pool_recycle=30000 is not below MySQL\'s default wait_timeout' },
    { name: 'explicit pool_pre_ping=False', code: py`
      from sqlalchemy import create_engine
      e = create_engine("mysql+pymysql://app@db/app", pool_pre_ping=False)
    `, line: 2, column: 5, message: 'pool_pre_ping', suggestion: py`
      from sqlalchemy import create_engine
      e = create_engine("mysql+pymysql://app@db/app", pool_pre_ping=True)
    ` },
    { name: 'mysql-connector driver', code: py`
      from sqlalchemy import create_engine
      e = create_engine("mysql+mysqlconnector://app@db/app?connection_timeout=5")
    `, line: 2, column: 5, message: 'for MySQL' },
    { name: 'mariadb dialect', code: py`
      from sqlalchemy import create_engine as ce
      e = ce("mariadb+pymysql://app@db/app")
    `, line: 2, column: 5, message: '`ce()` for MySQL' },
    { name: 'async engine with aiomysql', code: py`
      from sqlalchemy.ext.asyncio import create_async_engine
      e = create_async_engine("mysql+aiomysql://app@db/app")
    `, line: 2, column: 5, message: 'for MySQL' },
    { name: 'inside a factory function', code: py`
      from sqlalchemy import create_engine
      def make_engine():
          return create_engine("mysql+pymysql://app@db/app", echo=True)
    `, line: 3, column: 12, message: 'for MySQL', suggestion: py`
      from sqlalchemy import create_engine
      def make_engine():
          return create_engine("mysql+pymysql://app@db/app", echo=True, pool_pre_ping=True)
    ` },
  ],
}, { test });
