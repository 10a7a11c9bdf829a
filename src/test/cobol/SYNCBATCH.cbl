      *> SYNCBATCH - plays the mainframe benefit batch in the tests.
      *> Reads every file named in a list (one path a line), record by
      *> record through the mainframe team's copybook SYNCREC, checks
      *> each file's header and trailer (record count, control total)
      *> and prints the totals per state in cents:
      *>   FILE  <path> RECORDS <n> CENTS <total> OK|ERROR <why>
      *>   STATE <st> RECORDS <n> CENTS <total>
      *>   TOTAL FILES <n> RECORDS <n> CENTS <total> ERRORS <n>
      *> Exit code 0 when every file checks out, 1 otherwise.
       IDENTIFICATION DIVISION.
       PROGRAM-ID. SYNCBATCH.
       ENVIRONMENT DIVISION.
       INPUT-OUTPUT SECTION.
       FILE-CONTROL.
           SELECT LIST-FILE ASSIGN TO WS-LIST-PATH
               ORGANIZATION IS LINE SEQUENTIAL
               FILE STATUS IS WS-LIST-STATUS.
           SELECT DATA-FILE ASSIGN TO WS-DATA-PATH
               ORGANIZATION IS LINE SEQUENTIAL
               FILE STATUS IS WS-DATA-STATUS.
       DATA DIVISION.
       FILE SECTION.
       FD  LIST-FILE.
       01  LIST-LINE                  PIC X(256).
       FD  DATA-FILE.
       01  DATA-LINE                  PIC X(80).
       WORKING-STORAGE SECTION.
           COPY SYNCREC.
       01  WS-LIST-PATH               PIC X(256).
       01  WS-DATA-PATH               PIC X(256).
       01  WS-LIST-STATUS             PIC XX.
       01  WS-DATA-STATUS             PIC XX.
       01  WS-LIST-EOF                PIC X VALUE 'N'.
       01  WS-DATA-EOF                PIC X VALUE 'N'.
       01  WS-FILE-ERROR              PIC X(40).
       01  WS-SEEN-HEADER             PIC X.
       01  WS-SEEN-TRAILER            PIC X.
       01  WS-FILE-RECORDS            PIC 9(9).
       01  WS-FILE-CENTS              PIC S9(15).
       01  WS-FILES                   PIC 9(9) VALUE 0.
       01  WS-RECORDS                 PIC 9(9) VALUE 0.
       01  WS-CENTS                   PIC S9(15) VALUE 0.
       01  WS-ERRORS                  PIC 9(9) VALUE 0.
       01  WS-STATES.
           05  WS-STATE-COUNT         PIC 9(3) VALUE 0.
           05  WS-STATE OCCURS 60 TIMES INDEXED BY ST-IX.
               10  ST-CODE            PIC XX.
               10  ST-RECORDS         PIC 9(9).
               10  ST-CENTS           PIC S9(15).
       01  WS-FOUND                   PIC X.
       01  OUT-COUNT                  PIC Z(8)9.
       01  OUT-CENTS                  PIC -(15)9.
       PROCEDURE DIVISION.
       MAIN-LINE.
           ACCEPT WS-LIST-PATH FROM COMMAND-LINE
           OPEN INPUT LIST-FILE
           IF WS-LIST-STATUS NOT = '00'
               DISPLAY 'ERROR cannot open list ' WS-LIST-STATUS
               MOVE 2 TO RETURN-CODE
               STOP RUN
           END-IF
           PERFORM UNTIL WS-LIST-EOF = 'Y'
               READ LIST-FILE
                   AT END MOVE 'Y' TO WS-LIST-EOF
                   NOT AT END
                       IF LIST-LINE NOT = SPACES
                           PERFORM CHECK-FILE
                       END-IF
               END-READ
           END-PERFORM
           CLOSE LIST-FILE
           PERFORM REPORT-TOTALS
           IF WS-ERRORS > 0
               MOVE 1 TO RETURN-CODE
           ELSE
               MOVE 0 TO RETURN-CODE
           END-IF
           STOP RUN.

       CHECK-FILE.
           ADD 1 TO WS-FILES
           MOVE LIST-LINE TO WS-DATA-PATH
           MOVE SPACES TO WS-FILE-ERROR
           MOVE 'N' TO WS-SEEN-HEADER WS-SEEN-TRAILER WS-DATA-EOF
           MOVE 0 TO WS-FILE-RECORDS WS-FILE-CENTS
           OPEN INPUT DATA-FILE
           IF WS-DATA-STATUS NOT = '00'
               MOVE 'cannot open' TO WS-FILE-ERROR
           ELSE
               PERFORM UNTIL WS-DATA-EOF = 'Y'
                   READ DATA-FILE INTO SYNC-RECORD
                       AT END MOVE 'Y' TO WS-DATA-EOF
                       NOT AT END PERFORM CHECK-RECORD
                   END-READ
               END-PERFORM
               CLOSE DATA-FILE
               IF WS-SEEN-TRAILER = 'N' AND WS-FILE-ERROR = SPACES
                   MOVE 'no trailer' TO WS-FILE-ERROR
               END-IF
           END-IF
           MOVE WS-FILE-RECORDS TO OUT-COUNT
           MOVE WS-FILE-CENTS TO OUT-CENTS
           IF WS-FILE-ERROR = SPACES
               DISPLAY 'FILE ' FUNCTION TRIM(WS-DATA-PATH)
                   ' RECORDS ' FUNCTION TRIM(OUT-COUNT)
                   ' CENTS ' FUNCTION TRIM(OUT-CENTS) ' OK'
           ELSE
               ADD 1 TO WS-ERRORS
               DISPLAY 'FILE ' FUNCTION TRIM(WS-DATA-PATH)
                   ' RECORDS ' FUNCTION TRIM(OUT-COUNT)
                   ' CENTS ' FUNCTION TRIM(OUT-CENTS)
                   ' ERROR ' FUNCTION TRIM(WS-FILE-ERROR)
           END-IF.

       CHECK-RECORD.
           IF WS-SEEN-TRAILER = 'Y'
               MOVE 'record after trailer' TO WS-FILE-ERROR
           END-IF
           EVALUATE TRUE
               WHEN SR-HEADER
                   IF WS-SEEN-HEADER = 'Y' OR WS-FILE-RECORDS > 0
                       MOVE 'header not first' TO WS-FILE-ERROR
                   END-IF
                   IF SH-CREATED-DATE NOT NUMERIC
                      OR SH-CREATED-TIME NOT NUMERIC
                       MOVE 'bad header date' TO WS-FILE-ERROR
                   END-IF
                   MOVE 'Y' TO WS-SEEN-HEADER
               WHEN SR-ADJUST
               WHEN SR-REVERSAL
                   PERFORM CHECK-DETAIL
               WHEN SR-TRAILER
                   MOVE 'Y' TO WS-SEEN-TRAILER
                   IF ST-RECORD-COUNT NOT NUMERIC
                      OR ST-TOTAL-CENTS NOT NUMERIC
                       MOVE 'bad trailer' TO WS-FILE-ERROR
                   ELSE
                       IF ST-RECORD-COUNT NOT = WS-FILE-RECORDS
                           MOVE 'trailer count differs' TO WS-FILE-ERROR
                       END-IF
                       IF ST-TOTAL-CENTS NOT = WS-FILE-CENTS
                           MOVE 'trailer total differs' TO WS-FILE-ERROR
                       END-IF
                   END-IF
               WHEN OTHER
                   MOVE 'unknown record type' TO WS-FILE-ERROR
           END-EVALUATE.

       CHECK-DETAIL.
           IF WS-SEEN-HEADER = 'N'
               MOVE 'detail before header' TO WS-FILE-ERROR
           END-IF
           IF SD-AMOUNT-CENTS NOT NUMERIC
              OR SD-EFFECTIVE-DATE NOT NUMERIC
               MOVE 'bad detail amount or date' TO WS-FILE-ERROR
           ELSE
               ADD 1 TO WS-FILE-RECORDS WS-RECORDS
               ADD SD-AMOUNT-CENTS TO WS-FILE-CENTS WS-CENTS
               PERFORM ADD-TO-STATE
           END-IF.

       ADD-TO-STATE.
           MOVE 'N' TO WS-FOUND
           PERFORM VARYING ST-IX FROM 1 BY 1
                   UNTIL ST-IX > WS-STATE-COUNT OR WS-FOUND = 'Y'
               IF ST-CODE (ST-IX) = SD-STATE
                   ADD 1 TO ST-RECORDS (ST-IX)
                   ADD SD-AMOUNT-CENTS TO ST-CENTS (ST-IX)
                   MOVE 'Y' TO WS-FOUND
               END-IF
           END-PERFORM
           IF WS-FOUND = 'N'
               ADD 1 TO WS-STATE-COUNT
               SET ST-IX TO WS-STATE-COUNT
               MOVE SD-STATE TO ST-CODE (ST-IX)
               MOVE 1 TO ST-RECORDS (ST-IX)
               MOVE SD-AMOUNT-CENTS TO ST-CENTS (ST-IX)
           END-IF.

       REPORT-TOTALS.
           PERFORM VARYING ST-IX FROM 1 BY 1
                   UNTIL ST-IX > WS-STATE-COUNT
               MOVE ST-RECORDS (ST-IX) TO OUT-COUNT
               MOVE ST-CENTS (ST-IX) TO OUT-CENTS
               DISPLAY 'STATE ' ST-CODE (ST-IX)
                   ' RECORDS ' FUNCTION TRIM(OUT-COUNT)
                   ' CENTS ' FUNCTION TRIM(OUT-CENTS)
           END-PERFORM
           MOVE WS-FILES TO OUT-COUNT
           DISPLAY 'TOTAL FILES ' FUNCTION TRIM(OUT-COUNT)
               WITH NO ADVANCING
           MOVE WS-RECORDS TO OUT-COUNT
           DISPLAY ' RECORDS ' FUNCTION TRIM(OUT-COUNT)
               WITH NO ADVANCING
           MOVE WS-CENTS TO OUT-CENTS
           DISPLAY ' CENTS ' FUNCTION TRIM(OUT-CENTS)
               WITH NO ADVANCING
           MOVE WS-ERRORS TO OUT-COUNT
           DISPLAY ' ERRORS ' FUNCTION TRIM(OUT-COUNT).
